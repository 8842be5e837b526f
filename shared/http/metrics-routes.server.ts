import { Hono } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import { HTTPException } from 'hono/http-exception'
import type { Config } from '#shared/config'
import { errorBody } from './errors.ts'

/** Where a scrape asks, on the store's port or METRICS_PORT's. */
export const METRICS_PATH = '/metrics'

/** A scrape's answer: Prometheus text and its content type. */
export interface MetricsText {
  text: string
  contentType: string
}

/** Where `/metrics` is served, and whether a scrape must show a token. */
export interface MetricsAccess {
  /** At `/metrics` on the store's own port. */
  onPublicPort: boolean
  /** On a listener of its own, bound to 127.0.0.1 (`METRICS_PORT`). */
  privatePort?: number
  /** `Authorization: Bearer <token>` is required wherever it is served. */
  token?: string
  /** Said once at start-up when metrics are on but served nowhere. */
  hint?: string
}

/**
 * Decides from the config. Operational data is never public by default: in production the
 * store's port serves `/metrics` only behind `METRICS_TOKEN`, or not at all when `METRICS_PORT`
 * moves it to 127.0.0.1; with neither, nowhere (a 404, like any unknown path). Development and
 * tests keep it open on the one port.
 * @example const access = metricsAccess(config); if (access.hint) log.warn(access.hint)
 */
export function metricsAccess(config: Pick<Config, 'METRICS' | 'METRICS_TOKEN' | 'METRICS_PORT' | 'NODE_ENV'>): MetricsAccess {
  const token = config.METRICS_TOKEN
  if (!config.METRICS) return { onPublicPort: false }
  if (config.METRICS_PORT !== undefined) return { onPublicPort: false, privatePort: config.METRICS_PORT, token }
  if (token !== undefined || config.NODE_ENV !== 'production') return { onPublicPort: true, token }
  return {
    onPublicPort: false,
    hint: 'metrics are not served: set METRICS_TOKEN (scrape /metrics with a bearer token) or METRICS_PORT (/metrics on 127.0.0.1), or METRICS=off',
  }
}

/**
 * `GET /metrics` as a small app of its own, behind `Authorization: Bearer <token>` when there is
 * one (Hono's bearerAuth: 401 with `WWW-Authenticate` without it or with another, compared in
 * constant time). Mounted on the store's app, or served alone on `METRICS_PORT`.
 * @example app.route('/', metricsRoutes({ token: config.METRICS_TOKEN, collect: metrics.collect }))
 */
export function metricsRoutes({ token, collect }: { token?: string; collect: () => Promise<MetricsText> }): Hono {
  const routes = new Hono()
  if (token !== undefined) {
    const refused = (message: string) => ({ message: errorBody('unauthorized', message) })
    routes.use(
      METRICS_PATH,
      bearerAuth({
        token,
        realm: 'metrics',
        noAuthenticationHeader: refused('Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.'),
        invalidToken: refused('That is not the metrics token.'),
        invalidAuthenticationHeader: { message: errorBody('bad_request', 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.') },
      }),
    )
  }
  routes.get(METRICS_PATH, async (c) => {
    const { text, contentType } = await collect()
    return c.body(text, 200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' })
  })
  // bearerAuth's refusal is a whole response (with WWW-Authenticate): send it as it is, not as an error page.
  routes.onError((err) => {
    if (err instanceof HTTPException) return err.getResponse()
    throw err
  })
  return routes
}
