import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './app-env.ts'

/**
 * One log line per request: method, path, status and duration (and the request id, which the
 * request's logger carries: see `c.var.log`). For a streamed page
 * the duration is the time to the first byte (the logger never waits for, or buffers, the body).
 * Needs `requestId()` before it and `c.var.log` set.
 * @example app.use(requestId(), requestLogger())
 */
export function requestLogger(): MiddlewareHandler<AppEnv> {
  return async function requestLogger(c, next) {
    const start = performance.now()
    await next()
    const ms = Math.round((performance.now() - start) * 10) / 10
    // c.get(), not c.var: c.var builds an object of every variable on each read.
    const fields = { method: c.req.method, path: c.req.path, status: c.res.status, ms }
    if (c.res.status >= 500) c.get('log').error('request', fields)
    else c.get('log').info('request', fields)
  }
}
