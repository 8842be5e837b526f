import type { MiddlewareHandler } from 'hono'
import { currentTracing } from '#shared/tracing'
import type { AppEnv } from './app-env.ts'
import { routeOf } from './metrics.server.ts'

/**
 * One span per request, named by its route (`GET /products/:slug`, not the raw path), with its
 * status, request id and user id (never an email or a secret); the request's logger carries its
 * traceId and spanId, so a log line leads to its trace. Installed only when tracing is on.
 * Goes after the middleware that sets the request id and `c.var.log`.
 */
export function traceRequests(): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const tracing = currentTracing()
    if (!tracing) return next()
    return tracing.inRequest(`${c.req.method} ${c.req.path}`, c.req.raw.headers, async (span) => {
      c.set('log', c.get('log').child(span.ids))
      span.setAttribute('http.request.method', c.req.method)
      span.setAttribute('tessera.request_id', c.get('requestId'))
      await next()
      const route = routeOf(c)
      span.rename(`${c.req.method} ${route}`)
      span.setAttribute('http.route', route)
      span.setAttribute('http.response.status_code', c.res.status)
      const who = await c.var.identify?.().catch(() => null)
      if (who) span.setAttribute('enduser.id', who.id)
      if (c.res.status >= 500) span.fail(new Error(`HTTP ${c.res.status}`))
    })
  }
}
