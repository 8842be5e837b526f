import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '#shared/config'
import { metricsAccess, metricsRoutes } from './metrics-routes.server.ts'

const token = 'a-token-of-32-characters-or-so.1'

describe('metricsAccess', () => {
  const access = (env: Record<string, string>) => metricsAccess(loadConfig({ NODE_ENV: 'production', ...env }))

  it('in production, serves /metrics on the public port only behind a token, and with neither says how', () => {
    expect(access({})).toEqual({ onPublicPort: false, hint: expect.stringMatching(/^metrics are not served: set METRICS_TOKEN .* or METRICS_PORT/) })
    expect(access({ METRICS_TOKEN: token })).toEqual({ onPublicPort: true, token })
    expect(access({ METRICS_PORT: '9464' })).toEqual({ onPublicPort: false, privatePort: 9464, token: undefined })
    expect(access({ METRICS_PORT: '9464', METRICS_TOKEN: token })).toEqual({ onPublicPort: false, privatePort: 9464, token })
    expect(access({ METRICS: 'off', METRICS_TOKEN: token })).toEqual({ onPublicPort: false })
  })

  it('in development and tests, leaves it open', () => {
    expect(metricsAccess(loadConfig({ NODE_ENV: 'development' }))).toEqual({ onPublicPort: true })
    expect(metricsAccess(loadConfig({ NODE_ENV: 'test' }))).toEqual({ onPublicPort: true })
  })

  it('refuses a token too short or with characters a bearer token cannot carry, and a port that is PORT', () => {
    for (const bad of ['short-token', `${token} with spaces`, `${token}"`]) {
      expect(() => loadConfig({ METRICS_TOKEN: bad }), bad).toThrow(ConfigError)
    }
    expect(() => loadConfig({ METRICS_TOKEN: 'x'.repeat(15) })).toThrow(/METRICS_TOKEN: must be at least 16 characters/)
    expect(() => loadConfig({ PORT: '3000', METRICS_PORT: '3000' })).toThrow(/METRICS_PORT: must differ from PORT/)
    expect(loadConfig({ PORT: '0', METRICS_PORT: '0' }).METRICS_PORT).toBe(0)
  })
})

describe('metricsRoutes', () => {
  const collect = async () => ({ text: 'up 1\n', contentType: 'text/plain; version=0.0.4' })

  it('with a token: 401 and a challenge without it or with another, the metrics with it', async () => {
    const app = metricsRoutes({ token, collect })
    const none = await app.request('/metrics')
    expect(none.status).toBe(401)
    expect(none.headers.get('WWW-Authenticate')).toBe('Bearer realm="metrics"')
    expect(await none.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('Bearer') } })
    const wrong = await app.request('/metrics', { headers: { Authorization: `Bearer ${token.slice(0, -1)}2` } })
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"')
    const right = await app.request('/metrics', { headers: { Authorization: `Bearer ${token}` } })
    expect(right.status).toBe(200)
    expect(right.headers.get('Content-Type')).toBe('text/plain; version=0.0.4')
    expect(await right.text()).toBe('up 1\n')
  })

  it('without one: the metrics to anyone (where it is served at all is metricsAccess’s call)', async () => {
    const res = await metricsRoutes({ collect }).request('/metrics')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('up 1\n')
  })
})
