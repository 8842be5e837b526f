import type { Context } from 'hono'
import { errorBody, requestHeader, type AppEnv } from '#shared/http'
import { bodyToClient } from './body-to-client.server.ts'
import { locationHere } from './location-here.ts'
import { requestPathUnder } from './request-path.ts'
import { upstreamCall } from './upstream-call.server.ts'
import { UpstreamError } from './upstream-error.ts'
import type { UpstreamOptions } from './upstream-options.ts'

/** What the log says of a request whose client hung up before its answer (nginx's 499): nobody receives it. */
const CLIENT_CLOSED = 499

const asJson: NonNullable<UpstreamOptions['failure']> = (c, status, { code, message }) => c.json(errorBody(code, message), status)

/**
 * Forwards the request `c` to an upstream (see `upstreamCall` for what goes and how it fails):
 * method, path, query and body, streamed both ways. A failure answers as `failure` says (JSON
 * `{ error }` by default, with `Retry-After` on a 503). `call`: one made already, to share its breaker.
 * @example app.all('/api/reviews/*', (c) => upstreamProxy({ name: 'reviews', upstream })(c, '/api/reviews'))
 */
export function upstreamProxy(options: UpstreamOptions, call = upstreamCall(options)): (c: Context<AppEnv>, prefix: string) => Promise<Response> {
  const failure = options.failure ?? asJson
  const base = new URL(options.upstream)
  return async (c, prefix) => {
    // Its own label in /metrics and spans, apart from the 404s of paths nobody serves.
    c.set('routeLabel', prefix ? `${prefix}/*` : options.name)
    const path = requestPathUnder(c, prefix)
    if (path === undefined) return c.json(errorBody('not_found', 'There is nothing at this address.'), 404)
    // fetch cannot carry a WebSocket: said plainly, rather than the upstream answering a bare GET.
    // (Another Upgrade, `h2c`, a server may ignore: the request goes as HTTP/1.1.)
    if (/\bwebsocket\b/i.test(requestHeader(c, 'Upgrade') ?? '')) {
      return c.json(errorBody('websocket_not_proxied', `WebSocket connections are not proxied to the ${options.name} service.`), 501)
    }
    try {
      const res = await call(c, {
        method: c.req.method,
        path,
        search: new URL(c.req.url).search,
        header: (name) => requestHeader(c, name),
        body: () => c.req.raw.body,
        hasBody: () => requestHeader(c, 'Transfer-Encoding') !== undefined || Number(requestHeader(c, 'Content-Length') ?? 0) > 0,
        // The client hanging up aborts the call (and stops reading the upstream's answer): not the upstream's failure.
        signal: c.req.raw.signal,
      })
      const location = res.headers.get('location')
      if (location !== null) res.headers.set('location', locationHere(location, base, prefix, path))
      return res.body === null ? res : new Response(bodyToClient(c, res.body, options.name), res)
    } catch (err) {
      if (c.req.raw.signal.aborted && err === c.req.raw.signal.reason) return new Response(null, { status: CLIENT_CLOSED })
      if (!(err instanceof UpstreamError)) throw err
      for (const [header, value] of Object.entries(err.headers)) c.header(header, value)
      return failure(c, err.status, { code: err.code, message: err.message })
    }
  }
}
