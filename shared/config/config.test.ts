import { describe, expect, it } from 'vitest'
import { ConfigError, configHelp, configSchema, DEVELOPMENT_SESSION_SECRET, loadConfig, sessionSecret } from './config.server.ts'

describe('loadConfig', () => {
  it('fills defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', DATABASE_PATH: 'data/tessera.db', LOG_LEVEL: 'info', BODY_LIMIT_BYTES: 1024 * 1024 })
  })

  it('coerces numbers and treats empty values as unset', () => {
    expect(loadConfig({ PORT: '8080', LOG_LEVEL: '' })).toMatchObject({ PORT: 8080, LOG_LEVEL: 'info' })
  })

  it('names every invalid variable and never echoes a secret', () => {
    const secret = 'too-short-secret'
    const error = (() => {
      try {
        loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', SESSION_SECRET: secret })
      } catch (err) {
        return err
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as Error).message
    expect(message).toMatch(/PORT/)
    expect(message).toMatch(/LOG_LEVEL/)
    expect(message).toMatch(/SESSION_SECRET: must be at least 32 characters/)
    expect(message).not.toContain(secret)
  })

  it('names the payment gateway: the fake by default, nothing it does not know', () => {
    expect(loadConfig({})).toMatchObject({ PAYMENT_GATEWAY: 'fake' })
    expect(() => loadConfig({ PAYMENT_GATEWAY: 'stripe' })).toThrow(/PAYMENT_GATEWAY/)
  })

  it('takes an http(s) FALLBACK_UPSTREAM only, naming it otherwise', () => {
    expect(loadConfig({ FALLBACK_UPSTREAM: 'http://old-app:3000' })).toMatchObject({ FALLBACK_UPSTREAM: 'http://old-app:3000', FALLBACK_TIMEOUT_MS: 10_000 })
    for (const bad of ['old-app:3000', 'ftp://old-app', 'file:///etc/passwd']) expect(() => loadConfig({ FALLBACK_UPSTREAM: bad })).toThrow(/FALLBACK_UPSTREAM: must be an http\(s\) URL/)
  })

  it('takes a postgres:// DATABASE_URL only, naming it and never echoing its password', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://shop:pw@db:5432/shop', DATABASE_POOL_MAX: '20' })).toMatchObject({ DATABASE_URL: 'postgres://shop:pw@db:5432/shop', DATABASE_POOL_MAX: 20 })
    const defaults = loadConfig({})
    expect(defaults.DATABASE_URL).toBeUndefined()
    expect(defaults.DATABASE_POOL_MAX).toBe(10)
    for (const bad of ['mysql://shop:hunter22@db/shop', 'db:5432', 'postgres//shop:hunter22@db']) {
      expect(() => loadConfig({ DATABASE_URL: bad })).toThrow(/DATABASE_URL: must be a PostgreSQL URL/)
      expect(() => loadConfig({ DATABASE_URL: bad })).not.toThrow(/hunter22/)
    }
  })
})

describe('SESSION_SECRET', () => {
  const secret = 'x'.repeat(32)

  it('is the device cookies\' key; unset, the public development key outside production and none in production', () => {
    expect(sessionSecret(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret }))).toBe(secret)
    expect(sessionSecret(loadConfig({ NODE_ENV: 'development', SESSION_SECRET: secret }))).toBe(secret)
    expect(sessionSecret(loadConfig({ NODE_ENV: 'development' }))).toBe(DEVELOPMENT_SESSION_SECRET)
    expect(sessionSecret(loadConfig({ NODE_ENV: 'test' }))).toBe(DEVELOPMENT_SESSION_SECRET)
    expect(sessionSecret(loadConfig({ NODE_ENV: 'production' }))).toBeUndefined()
  })

  it('may not be the development key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: DEVELOPMENT_SESSION_SECRET })).toThrow(/SESSION_SECRET: is the public development key/)
    expect(loadConfig({ NODE_ENV: 'development', SESSION_SECRET: DEVELOPMENT_SESSION_SECRET }).SESSION_SECRET).toBe(DEVELOPMENT_SESSION_SECRET)
  })
})

describe('configHelp', () => {
  it('lists every variable with its default', () => {
    const help = configHelp()
    for (const name of Object.keys(configSchema.shape)) expect(help).toMatch(new RegExp(`^  ${name} `, 'm'))
    expect(help).toMatch(/^ {2}PORT +3000 +TCP port/m)
  })
})
