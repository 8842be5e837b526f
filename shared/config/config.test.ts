import { describe, expect, it } from 'vitest'
import {
  ConfigError,
  configHelp,
  configSchema,
  DEVELOPMENT_SESSION_SECRET,
  emptySettings,
  loadConfig,
  misspeltSettings,
  sessionSecret,
} from './config.server.ts'

describe('loadConfig', () => {
  it('fills defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', DATABASE_PATH: 'data/tessera.db', LOG_LEVEL: 'info', BODY_LIMIT_BYTES: 1024 * 1024 })
  })

  it('reads numbers and treats empty values as unset', () => {
    expect(loadConfig({ PORT: '8080', LOG_LEVEL: '' })).toMatchObject({ PORT: 8080, LOG_LEVEL: 'info' })
  })

  it('takes numbers written in decimal digits only, naming the variable otherwise (no hex, exponent or spaces)', () => {
    for (const bad of ['0x1F4A', '1e3', ' 4200 ', '42.0', '-1', '70000']) expect(() => loadConfig({ PORT: bad }), bad).toThrow(/PORT: must be/)
    expect(() => loadConfig({ WORKERS: '0x2' })).toThrow(/WORKERS: must be auto, or a whole number from 1 to 256/)
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '9999999999' })).toThrow(/SHUTDOWN_TIMEOUT_MS: must be at most 2147483647/) // a timer past it fires at once
    expect(loadConfig({ PORT: '0', WORKERS: '2', JOBS_LEASE_MS: '500' })).toMatchObject({ PORT: 0, WORKERS: 2, JOBS_LEASE_MS: 500 })
    expect(() => loadConfig({ WORKERS: '2', DATABASE_PATH: ':memory:' })).toThrow(/WORKERS: must be 1 with DATABASE_PATH=:memory:/)
  })

  it('bounds slow clients: headers 20 s, a whole request 120 s, idle keep-alive 5 s; the headers within the request', () => {
    expect(loadConfig({})).toMatchObject({ HEADERS_TIMEOUT_MS: 20_000, REQUEST_TIMEOUT_MS: 120_000, KEEP_ALIVE_TIMEOUT_MS: 5000 })
    expect(loadConfig({ HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '5000', KEEP_ALIVE_TIMEOUT_MS: '65000' })).toMatchObject({
      HEADERS_TIMEOUT_MS: 5000,
      REQUEST_TIMEOUT_MS: 5000,
      KEEP_ALIVE_TIMEOUT_MS: 65_000,
    })
    expect(() => loadConfig({ HEADERS_TIMEOUT_MS: '30000', REQUEST_TIMEOUT_MS: '10000' })).toThrow(/HEADERS_TIMEOUT_MS: must be at most REQUEST_TIMEOUT_MS/)
    expect(loadConfig({}).WRITE_STALL_TIMEOUT_MS).toBe(60_000)
    expect(loadConfig({ WRITE_STALL_TIMEOUT_MS: '1000' }).WRITE_STALL_TIMEOUT_MS).toBe(1000)
    for (const value of ['999', '0', '-5', '1.5', 'soon', String(2 ** 31)])
      expect(() => loadConfig({ WRITE_STALL_TIMEOUT_MS: value })).toThrow(/WRITE_STALL_TIMEOUT_MS/)
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '0' })).toThrow(/REQUEST_TIMEOUT_MS: must be at least 1000/) // never unbounded
  })

  it('lists the choices of a setting that has a few, as they are typed', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/^Invalid configuration:\n {2}LOG_LEVEL: must be one of debug, info, warn, error, silent$/)
    expect(() => loadConfig({ MAIL_TRANSPORT: 'sendmail' })).toThrow(/MAIL_TRANSPORT: must be one of smtp, outbox, none$/)
    expect(() => loadConfig({ NODE_ENV: 'prod' })).toThrow(/NODE_ENV: must be one of development, production, test$/)
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

  it('takes ADMIN_EMAIL and ADMIN_PASSWORD together or neither, naming the one missing (never echoing the password)', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'admin@example.com' })).toThrow(/ADMIN_PASSWORD: is needed with ADMIN_EMAIL/)
    expect(() => loadConfig({ ADMIN_PASSWORD: 'a long admin password' })).toThrow(/ADMIN_EMAIL: is needed with ADMIN_PASSWORD/)
    try {
      loadConfig({ ADMIN_PASSWORD: 'a long admin password' })
    } catch (err) {
      expect((err as Error).message).not.toContain('a long admin password')
    }
    expect(loadConfig({ ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'a long admin password' }).ADMIN_EMAIL).toBe('admin@example.com')
  })

  it('names the payment gateway: the fake by default, nothing it does not know', () => {
    expect(loadConfig({})).toMatchObject({ PAYMENT_GATEWAY: 'fake' })
    expect(() => loadConfig({ PAYMENT_GATEWAY: 'stripe' })).toThrow(/PAYMENT_GATEWAY/)
  })

  it('reads TRUST_PROXY as how many proxies stand in front: true is one, false none', () => {
    expect([{}, { TRUST_PROXY: 'false' }, { TRUST_PROXY: 'true' }, { TRUST_PROXY: '2' }].map((env) => loadConfig(env).TRUST_PROXY)).toEqual([0, 0, 1, 2])
    for (const bad of ['yes', '0', '10', '-1']) expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY: must be true, false, or how many proxies/)
  })

  it('takes an http(s) FALLBACK_UPSTREAM only, naming it otherwise', () => {
    expect(loadConfig({ FALLBACK_UPSTREAM: 'http://old-app:3000' })).toMatchObject({ FALLBACK_UPSTREAM: 'http://old-app:3000', FALLBACK_TIMEOUT_MS: 10_000 })
    // The store serves from its host's root: a path was dropped without a word.
    expect(loadConfig({ PUBLIC_URL: 'https://shop.example/' }).PUBLIC_URL).toBe('https://shop.example')
    expect(() => loadConfig({ PUBLIC_URL: 'https://shop.example/shop/' })).toThrow(/PUBLIC_URL: must be an origin without a path/)
    for (const url of ['https://shop.example/?x=1', 'https://shop.example/#top', 'https://user:pw@shop.example'])
      expect(() => loadConfig({ PUBLIC_URL: url })).toThrow(/PUBLIC_URL: must be an origin without a path, query or credentials/)
    // Another scheme's origin is "null": a sandboxed frame's Origin would pass for this site's.
    for (const url of ['file:///', 'javascript://shop.example/', 'ws://shop.example', 'ftp://shop.example'])
      expect(() => loadConfig({ PUBLIC_URL: url })).toThrow(/PUBLIC_URL: must be an http\(s\) URL/)
    // No scheme: the one line saying what is wrong, with the other variables' (not a TypeError).
    expect(() => loadConfig({ PUBLIC_URL: 'shop.example', PORT: 'x' })).toThrow(
      /^Invalid configuration:\n {2}PORT: [^\n]+\n {2}PUBLIC_URL: must be an http\(s\) URL, e.g. https:\/\/shop.example$/,
    )
    for (const bad of ['old-app:3000', 'ftp://old-app', 'file:///etc/passwd'])
      expect(() => loadConfig({ FALLBACK_UPSTREAM: bad })).toThrow(/FALLBACK_UPSTREAM: must be an http\(s\) URL/)
  })

  it('takes FALLBACK_REQUEST_HEADERS as a comma list of header names, refusing those the store never forwards', () => {
    const upstream = { FALLBACK_UPSTREAM: 'http://old-app:3000' }
    expect(loadConfig({ ...upstream, FALLBACK_REQUEST_HEADERS: ' X-Tenant, x-region,,X-TENANT ' }).FALLBACK_REQUEST_HEADERS).toEqual(['x-tenant', 'x-region'])
    expect(loadConfig(upstream).FALLBACK_REQUEST_HEADERS).toBeUndefined()
    for (const [name, why] of [
      ['Connection', /hop-by-hop/],
      ['Transfer-Encoding', /hop-by-hop/],
      ['Host', /what the store itself tells/],
      ['Cookie', /what the store itself tells/],
      ['X-Forwarded-For', /what the store itself tells/],
      ['X-Tessera-User-Id', /what the store itself tells/],
      ['X-Middleware-Subrequest', /Next\.js's internal header/],
      ['x-now-route-matches', /Next\.js's internal header/],
      ['X Tenant', /is no header name/],
    ] as const) {
      expect(() => loadConfig({ ...upstream, FALLBACK_REQUEST_HEADERS: `X-Tenant, ${name}` }), name).toThrow(
        new RegExp(`FALLBACK_REQUEST_HEADERS: "${name.toLowerCase()}" [^\\n]*${why.source}`),
      )
    }
    expect(() => loadConfig({ FALLBACK_REQUEST_HEADERS: 'X-Tenant' })).toThrow(/FALLBACK_REQUEST_HEADERS: is for FALLBACK_UPSTREAM/)
  })

  it('takes FALLBACK_CSP as one policy, with FALLBACK_UPSTREAM only, naming it otherwise', () => {
    const policy = "default-src 'self'; script-src 'self' 'unsafe-inline'; img-src * data:;"
    expect(loadConfig({ FALLBACK_UPSTREAM: 'http://old-app:3000', FALLBACK_CSP: policy }).FALLBACK_CSP).toBe(policy)
    expect(loadConfig({ FALLBACK_UPSTREAM: 'http://old-app:3000' }).FALLBACK_CSP).toBeUndefined()
    // Two policies (a comma), a header split, text that is no directive, or nothing at all.
    for (const bad of ["default-src 'self', script-src *", "default-src 'self'\r\nSet-Cookie: x=1", 'unsafe-inline!', ';', "script-src 'nonce-é'"])
      expect(() => loadConfig({ FALLBACK_UPSTREAM: 'http://old-app:3000', FALLBACK_CSP: bad })).toThrow(/FALLBACK_CSP: must be a Content-Security-Policy/)
    expect(() => loadConfig({ FALLBACK_CSP: "default-src 'self'" })).toThrow(/FALLBACK_CSP: is for FALLBACK_UPSTREAM/)
  })

  it('takes a postgres:// DATABASE_URL only, naming it and never echoing its password', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://shop:pw@db:5432/shop', DATABASE_POOL_MAX: '20' })).toMatchObject({
      DATABASE_URL: 'postgres://shop:pw@db:5432/shop',
      DATABASE_POOL_MAX: 20,
    })
    const defaults = loadConfig({})
    expect(defaults.DATABASE_URL).toBeUndefined()
    expect(defaults.DATABASE_POOL_MAX).toBe(10)
    expect(defaults.DATABASE_QUERY_TIMEOUT_MS).toBe(30_000)
    expect(loadConfig({ DATABASE_QUERY_TIMEOUT_MS: '0' }).DATABASE_QUERY_TIMEOUT_MS).toBe(0)
    expect(() => loadConfig({ DATABASE_QUERY_TIMEOUT_MS: '5s' })).toThrow(/DATABASE_QUERY_TIMEOUT_MS: must be a whole number/)
    expect(defaults.DATABASE_POOL_IDLE_TIMEOUT_MS).toBe(300_000)
    expect(loadConfig({ DATABASE_POOL_IDLE_TIMEOUT_MS: '0' }).DATABASE_POOL_IDLE_TIMEOUT_MS).toBe(0)
    expect(() => loadConfig({ DATABASE_POOL_IDLE_TIMEOUT_MS: '-1' })).toThrow(/DATABASE_POOL_IDLE_TIMEOUT_MS: must be a whole number/)
    for (const bad of ['mysql://shop:hunter22@db/shop', 'db:5432', 'postgres//shop:hunter22@db']) {
      expect(() => loadConfig({ DATABASE_URL: bad })).toThrow(/DATABASE_URL: must be a PostgreSQL URL/)
      expect(() => loadConfig({ DATABASE_URL: bad })).not.toThrow(/hunter22/)
    }
  })
})

describe('OTEL_* (tracing)', () => {
  it('is off by default, service tessera, every trace kept, incoming traceparent not trusted', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ OTEL_SERVICE_NAME: 'tessera', OTEL_TRACES_SAMPLER: 'parentbased_always_on', OTEL_TRUST_INCOMING: false })
    expect([config.OTEL_EXPORTER_OTLP_ENDPOINT, config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, config.OTEL_TRACES_SAMPLER_ARG]).toEqual([
      undefined,
      undefined,
      undefined,
    ])
  })

  it('takes the standard values', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_SERVICE_NAME: 'shop',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_TRUST_INCOMING: 'true',
    }
    expect(loadConfig(env)).toMatchObject({ ...env, OTEL_TRACES_SAMPLER_ARG: 0.25, OTEL_TRUST_INCOMING: true })
    for (const ratio of ['0', '1', '.5', '1.0']) expect(loadConfig({ OTEL_TRACES_SAMPLER_ARG: ratio }).OTEL_TRACES_SAMPLER_ARG).toBe(Number(ratio))
  })

  it('names each bad value', () => {
    for (const [name, bad, reason] of [
      ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318', /must be an http\(s\) URL/],
      ['OTEL_EXPORTER_OTLP_ENDPOINT', 'grpc://collector:4317', /must be an http\(s\) URL/],
      ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'not a url', /must be an http\(s\) URL/],
      ['OTEL_SERVICE_NAME', '   ', /must not be blank/],
      ['OTEL_TRACES_SAMPLER', 'sometimes', /must be one of always_on, always_off, traceidratio,/],
      ['OTEL_TRACES_SAMPLER_ARG', '1.5', /must be a ratio from 0 to 1/],
      ['OTEL_TRACES_SAMPLER_ARG', '10%', /must be a ratio from 0 to 1/],
      ['OTEL_TRACES_SAMPLER_ARG', '-0.1', /must be a ratio from 0 to 1/],
      ['OTEL_TRUST_INCOMING', 'yes', /must be one of true, false$/],
    ] as const) {
      expect(() => loadConfig({ [name]: bad }), `${name}=${bad}`).toThrow(new RegExp(`\\n  ${name}: ${reason.source}`))
    }
  })
})

describe('SESSION_SECRET', () => {
  const secret = 'x'.repeat(32)

  it("is the device cookies' key; unset, the public development key outside production and none in production", () => {
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

describe('emptySettings', () => {
  it('names the settings set to nothing (taken as unset: warned of at start), none of the other variables', () => {
    const empty = emptySettings({ DATABASE_PATH: '', PORT: '8080', PUBLIC_URL: '', HOME: '', LOG_LEVEL: undefined })
    expect(empty.sort()).toEqual(['DATABASE_PATH', 'PUBLIC_URL'])
  })
})

describe('misspeltSettings', () => {
  it('names a variable one or two typos from a setting, and the setting it may mean', () => {
    expect(misspeltSettings({ DATABASE_PAHT: '/srv/db', DATABASE_ULR: 'postgres://x', PROT: '80', WORKER: '2' })).toEqual([
      ['DATABASE_PAHT', 'DATABASE_PATH'],
      ['DATABASE_ULR', 'DATABASE_URL'],
      ['PROT', 'PORT'],
      ['WORKER', 'WORKERS'],
    ])
  })

  it('leaves the settings themselves, and the variables every host has, alone', () => {
    expect(
      misspeltSettings({
        DATABASE_PATH: 'x',
        PORT: '1',
        HOME: '/root',
        PATH: '/bin',
        PWD: '/',
        USER: 'root',
        SHELL: 'sh',
        LANG: 'C',
        TERM: 'xterm',
        NODE_OPTIONS: '',
      }),
    ).toEqual([])
    expect(misspeltSettings(process.env)).toEqual([]) // this machine's, CI's
  })
})
