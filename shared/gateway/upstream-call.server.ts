import { proxy } from 'hono/proxy'
import { clientNetwork, HttpError } from '#shared/http'
import { startSpan } from '#shared/tracing'
import { fitAnswerHeaders } from './answer-headers.ts'
import { CircuitBreaker } from './circuit-breaker.ts'
import { FORWARDED_REQUEST_HEADERS, forwardedHeaders } from './forwarded-headers.server.ts'
import { clientBody, UpstreamClock } from './upstream-clock.ts'
import { UpstreamError } from './upstream-error.ts'
import type { UpstreamCall, UpstreamOptions } from './upstream-options.ts'

/** Methods fetch will not send (CONNECT, TRACE, TRACK: RFC 9110 and the Fetch standard). */
const UNSENDABLE_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK'])
/** A 405's `Allow` (RFC 9110 §15.5.6 wants one on every 405): the usual methods, each forwarded (what the upstream makes of them is its own). */
const FORWARDED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'

/**
 * The call both the proxy and server code (`remoteFetch`) make: the allow-listed headers (never
 * the session or other cookies, unless `cookies` keeps some), the client's address, the request id
 * and, with a secret, the signed-in user's id and role in signed headers (`verifyIdentity` checks
 * them); the body streamed. The answer comes back as it is, without hop-by-hop headers or (by
 * default) Set-Cookie. Refused or reset: 502; no answer's head within `timeoutMs` of the upstream's
 * own time (UpstreamClock: not a slow client's upload): 504; after repeated failures a circuit
 * breaker makes it 503 at once until a trial request succeeds again (CircuitBreaker: one client's
 * failures alone never open it). Every call is logged, counted and timed by the upstream's name.
 * @example const call = upstreamCall({ name: 'reviews', upstream: 'http://reviews.internal:4000' })
 */
export function upstreamCall(options: UpstreamOptions): UpstreamCall {
  const { name, timeoutMs = 10_000, secret, cookies } = options
  const allowed = [...FORWARDED_REQUEST_HEADERS, ...(options.requestHeaders ?? [])]
  const base = new URL(options.upstream)
  const basePath = base.pathname.replace(/\/$/, '')
  const breaker = new CircuitBreaker(options.breaker ?? { failures: 5, openMs: 10_000 })

  return async (c, request) => {
    const url = new URL(basePath + request.path, base)
    url.search = request.search
    // The path is still percent-encoded and has no dot segments (requestPathUnder): it cannot leave the base path.
    if (url.origin !== base.origin || !url.pathname.startsWith(basePath)) throw new HttpError(404, 'not_found', 'There is nothing at this address.')
    // fetch refuses these outright: the client's mistake, never the upstream's failure.
    if (UNSENDABLE_METHODS.has(request.method.toUpperCase())) {
      throw new HttpError(405, 'method_not_allowed', `${request.method} is not forwarded.`, undefined, { Allow: FORWARDED_METHODS })
    }
    const body = request.method === 'GET' || request.method === 'HEAD' || !request.hasBody() ? null : request.body()
    // Each client one voice: one visitor's requests (a path that times out, asked again and again) cannot open it for all.
    const client = clientNetwork(c)
    if (!breaker.allow(client, { canTry: body === null })) {
      c.get('upstreamMetrics')?.failed(name, 'circuit_open')
      throw new UpstreamError(503, name)
    }
    // Every call that goes says what it found of the upstream, or frees the half-open trial for the next.
    let judged = false
    const waiting = new AbortController()
    const clock = new UpstreamClock(timeoutMs, () => waiting.abort())
    const span = startSpan('upstream', { 'tessera.upstream': name, 'http.request.method': request.method, 'url.path': url.pathname })
    try {
      const headers = await forwardedHeaders(c, request, url, { allowed, secret, cookies })
      const signal = request.signal ? AbortSignal.any([waiting.signal, request.signal]) : waiting.signal
      const started = performance.now()
      const sent = body ? clientBody(body, clock) : undefined
      clock.run()
      try {
        const res = await proxy(url, {
          method: request.method,
          headers,
          body: sent?.body ?? null,
          duplex: sent ? 'half' : undefined,
          signal,
          // A redirect goes back to the client as it is: followed here, it would carry the signed
          // identity and the visitor's headers to wherever the upstream points.
          redirect: 'manual',
        } as RequestInit)
        clock.stop()
        breaker.succeeded(client)
        judged = true
        fitAnswerHeaders(c, res.headers, options)
        // Its body as it comes: compressed as a stream, never read whole first (a large or slow answer).
        c.set('streamedBody', true)
        c.get('log')?.info('upstream', { upstream: name, status: res.status, ms: Math.round(performance.now() - started) })
        c.get('upstreamMetrics')?.answered(name, res.status, (performance.now() - started) / 1000)
        span.setAttribute('http.response.status_code', res.status)
        return res
      } catch (err) {
        // The caller gave up (a loader's own timeout, a client gone): says nothing of the upstream.
        if (request.signal?.aborted && !waiting.signal.aborted) throw request.signal.reason
        // The client's body broke off (it hung up mid-upload): its failure, not the upstream's.
        if (sent?.failed()) throw new HttpError(400, 'bad_request', 'The request body was cut short.')
        breaker.failed(client)
        judged = true
        const timedOut = waiting.signal.aborted
        c.get('upstreamMetrics')?.failed(name, timedOut ? 'timeout' : 'error')
        c.get('log')?.warn('upstream failed', { upstream: name, err, timedOut, breaker: breaker.state })
        span.fail(err)
        throw new UpstreamError(timedOut ? 504 : 502, name)
      }
    } finally {
      clock.stop()
      span.end()
      if (!judged) breaker.released(client)
    }
  }
}
