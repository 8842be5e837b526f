import type { Context } from 'hono'
import { proxy } from 'hono/proxy'
import { clientIp, errorBody, HttpError, requestHeader, type AppEnv } from '#shared/http'
import { injectTraceContext, startSpan } from '#shared/tracing'
import { CircuitBreaker } from './circuit-breaker.ts'
import { identityHeaders } from './signed-identity.ts'

/** Request headers an upstream gets from the client; any other (Cookie, Authorization, …) never leaves. */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'content-type',
  'content-length',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'range',
  'user-agent',
  'idempotency-key',
]

export interface UpstreamOptions {
  /** The remote domain's name (or `fallback`): in errors and logs. */
  name: string
  /** The upstream's base URL, e.g. `http://reviews.internal:4000`: a request's path and query go after it. */
  upstream: string
  /** How long the upstream may take to answer with its status and headers, connecting included: then 504. */
  timeoutMs?: number
  /** The key of the identity headers' HMAC, shared with this upstream only; without it no identity is sent. */
  secret?: string | undefined
  /** Consecutive failures (refused, reset, timed out) that open the circuit, and how long it stays open. */
  breaker?: { failures: number; openMs: number }
  /** Which of the request's cookies go too (the migration fallback: the old app's own); none by default. */
  cookies?: (header: string) => string | undefined
  /** Whether the upstream's Set-Cookie comes back (the fallback); dropped by default. */
  setCookie?: boolean
  /** How a failure to get an answer is shown; JSON `{ error }` by default (a page path may want a page). */
  failure?: (c: Context<AppEnv>, status: 502 | 503 | 504, error: { code: string; message: string }) => Response | Promise<Response>
}

/** What one call sends, on behalf of the request `c` it is made for. */
export interface UpstreamRequest {
  method: string
  /** After the upstream's base URL: `/by-product/7`. */
  path: string
  /** The query, with its `?`, or ''. */
  search: string
  /** The sender's request header by name: only the allow-listed ones are asked for. */
  header: (name: string) => string | undefined
  /** Asked for only when the method may carry a body (a GET's would build a whole web Request). */
  body: () => ReadableStream<Uint8Array> | null
  /** The caller's: when it aborts, so does the call (and its body), as its own abort, not the upstream's failure. */
  signal?: AbortSignal
}

/** Sends one request to an upstream; its failures throw `UpstreamError`. */
export type UpstreamCall = (c: Context<AppEnv>, request: UpstreamRequest) => Promise<Response>

/**
 * No answer from an upstream: 502 `upstream_error` (refused, reset, not HTTP), 504
 * `upstream_timeout`, 503 `upstream_unavailable` with `Retry-After` (its circuit is open). Thrown
 * out of a loader or handler, the app answers it as the proxy does: JSON under `/api`, else the
 * error page.
 */
export class UpstreamError extends HttpError {
  override name = 'UpstreamError'
  constructor(
    override readonly status: 502 | 503 | 504,
    /** The remote domain's name. */
    readonly upstream: string,
  ) {
    const { code, message } = upstreamError(status, upstream)
    super(status, code, message, undefined, status === 503 ? { 'Retry-After': '10' } : {})
  }
}

/** Why the upstream gave no answer: 502, 503 (circuit open) or 504. */
function upstreamError(status: 502 | 503 | 504, name: string): { code: string; message: string } {
  const errors: Record<typeof status, { code: string; message: string }> = {
    502: { code: 'upstream_error', message: `The ${name} service did not answer properly.` },
    503: { code: 'upstream_unavailable', message: `The ${name} service is unavailable; try again shortly.` },
    504: { code: 'upstream_timeout', message: `The ${name} service took too long to answer.` },
  }
  return errors[status]
}

const asJson: NonNullable<UpstreamOptions['failure']> = (c, status, { code, message }) => c.json(errorBody(code, message), status)

/**
 * The call both the proxy and server code (`remoteFetch`) make: the allow-listed headers (never
 * the session or other cookies, unless `cookies` keeps some), the client's address, the request id
 * and, with a secret, the signed-in user's id and role in signed headers (`verifyIdentity` checks
 * them); the body streamed. The answer comes back as it is, without hop-by-hop headers or (by
 * default) Set-Cookie. Refused or reset: 502; no answer within `timeoutMs`: 504; after repeated
 * failures a circuit breaker makes it 503 at once until a trial request succeeds again. Every call
 * is logged, counted and timed by the upstream's name.
 */
export function upstreamCall(options: UpstreamOptions): UpstreamCall {
  const { name, timeoutMs = 10_000, secret, cookies, setCookie = false } = options
  const base = new URL(options.upstream)
  const breaker = new CircuitBreaker(options.breaker ?? { failures: 5, openMs: 10_000 })

  return async (c, request) => {
    if (!breaker.allow()) {
      c.get('upstreamMetrics')?.failed(name, 'circuit_open')
      throw new UpstreamError(503, name)
    }
    const url = new URL(base.pathname.replace(/\/$/, '') + request.path, base)
    url.search = request.search
    const headers = new Headers()
    for (const header of FORWARDED_REQUEST_HEADERS) {
      const value = request.header(header)
      if (value !== undefined) headers.set(header, value)
    }
    const cookie = cookies && request.header('cookie')
    const kept = cookie ? cookies(cookie) : undefined
    if (kept) {
      headers.set('cookie', kept)
      // The answer may be that visitor's own: private, unless the upstream says how to cache it (privateAnswers).
      c.set('readCookies', true)
    }
    headers.set('x-forwarded-for', clientIp(c))
    headers.set('x-forwarded-host', new URL(c.req.url).host)
    headers.set('x-forwarded-proto', new URL(c.req.url).protocol.replace(':', ''))
    headers.set('x-request-id', c.get('requestId') ?? '')
    if (secret) {
      const who = await c.var.identify?.()
      const signed = identityHeaders(secret, {
        method: request.method,
        path: url.pathname,
        userId: who?.id ?? null,
        role: who?.role ?? null,
        requestId: c.get('requestId') ?? '',
        timestamp: Date.now(),
      })
      for (const [header, value] of Object.entries(signed)) headers.set(header, value)
    }

    // With tracing on, the service joins the request's trace (traceparent).
    injectTraceContext(headers)
    const span = startSpan('upstream', { 'tessera.upstream': name, 'http.request.method': request.method, 'url.path': url.pathname })
    // Aborts only while waiting for the answer's head; the body then streams as long as it takes.
    const waiting = new AbortController()
    const timer = setTimeout(() => waiting.abort(), timeoutMs)
    const signal = request.signal ? AbortSignal.any([waiting.signal, request.signal]) : waiting.signal
    const started = performance.now()
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD'
    try {
      const res = await proxy(url, {
        method: request.method,
        headers,
        body: hasBody ? request.body() : null,
        duplex: hasBody ? 'half' : undefined,
        signal,
      } as RequestInit)
      breaker.succeeded()
      if (!setCookie) res.headers.delete('set-cookie')
      // A cookie set for a visitor: theirs alone (privateAnswers), unless the upstream says how to cache it.
      else if (res.headers.has('set-cookie')) c.set('readCookies', true)
      c.get('log')?.info('upstream', { upstream: name, status: res.status, ms: Math.round(performance.now() - started) })
      c.get('upstreamMetrics')?.answered(name, res.status, (performance.now() - started) / 1000)
      span.setAttribute('http.response.status_code', res.status)
      span.end()
      return res
    } catch (err) {
      if (request.signal?.aborted && !waiting.signal.aborted) {
        // The caller gave up (a loader's own timeout, a client gone): says nothing of the upstream.
        span.end()
        throw request.signal.reason
      }
      breaker.failed()
      const timedOut = waiting.signal.aborted
      c.get('upstreamMetrics')?.failed(name, timedOut ? 'timeout' : 'error')
      c.get('log')?.warn('upstream failed', { upstream: name, err, timedOut, breaker: breaker.state })
      span.fail(err)
      span.end()
      throw new UpstreamError(timedOut ? 504 : 502, name)
    } finally {
      clearTimeout(timer)
    }
  }
}

/**
 * Forwards the request `c` to an upstream (see `upstreamCall` for what goes and how it fails):
 * method, path, query and body, streamed both ways. A failure answers as `failure` says (JSON
 * `{ error }` by default, with `Retry-After` on a 503). `call`: one made already, to share its breaker.
 */
export function upstreamProxy(options: UpstreamOptions, call = upstreamCall(options)): (c: Context<AppEnv>, path: string) => Promise<Response> {
  const failure = options.failure ?? asJson
  return async (c, path) => {
    try {
      return await call(c, {
        method: c.req.method,
        path,
        search: new URL(c.req.url).search,
        header: (name) => requestHeader(c, name),
        body: () => c.req.raw.body,
      })
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err
      for (const [header, value] of Object.entries(err.headers)) c.header(header, value)
      return failure(c, err.status, { code: err.code, message: err.message })
    }
  }
}
