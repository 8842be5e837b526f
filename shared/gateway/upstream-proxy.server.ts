import type { ServerResponse } from 'node:http'
import type { Context } from 'hono'
import { proxy } from 'hono/proxy'
import { clientIp, clientNetwork, errorBody, FIXED_HEADERS, HttpError, requestHeader, type AppEnv } from '#shared/http'
import { injectTraceContext, startSpan } from '#shared/tracing'
import { CircuitBreaker, type BreakerOptions } from './circuit-breaker.ts'
import { dropOwnCookies } from './foreign-cookies.ts'
import { requestPathUnder } from './request-path.ts'
import { identityHeaders } from './signed-identity.ts'
import { clientBody, UpstreamClock } from './upstream-clock.ts'

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

/**
 * What a whole other app behind the migration fallback (a Next.js app) needs of a request beyond
 * the allow-list: its own credentials and cross-site checks (the store reads neither on its
 * paths), and Next.js's Server Actions, RSC navigation and prefetch headers. Never its internal
 * ones (`x-middleware-subrequest`, `x-now-route-matches`: sent by a client, they skip its
 * middleware or poison its cache on unpatched versions), nor anything of the store's. An app's
 * own headers (X-Tenant) are the operator's to add: FALLBACK_REQUEST_HEADERS (shared/config).
 */
export const NEXTJS_REQUEST_HEADERS = [
  'authorization',
  'origin',
  'referer',
  'x-requested-with',
  'next-action',
  'rsc',
  'next-router-state-tree',
  'next-router-prefetch',
  'next-router-segment-prefetch',
  'next-url',
  'x-nextjs-data',
  'x-middleware-prefetch',
  'purpose',
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
  /**
   * When the circuit opens (failures, refused, reset or timed out, within `windowMs`, from two
   * clients or more: see CircuitBreaker) and how long it stays open.
   */
  breaker?: Omit<BreakerOptions, 'now'>
  /** Request headers that go besides the allow-list (the fallback: NEXTJS_REQUEST_HEADERS). */
  requestHeaders?: readonly string[]
  /** Which of the request's cookies go too (the migration fallback: the old app's own); none by default. */
  cookies?: (header: string) => string | undefined
  /** Whether the upstream's Set-Cookie comes back (the fallback); dropped by default. */
  setCookie?: boolean
  /**
   * Whether the upstream's security headers (its CSP, frame and referrer policies) stand: a whole
   * other app's pages (the fallback); by default the store's own replace them.
   */
  ownSecurityHeaders?: boolean
  /** With `ownSecurityHeaders`: the Content-Security-Policy of its answers that send none (the store's otherwise). */
  csp?: string | undefined
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
  /** Whether it has a body at all (a DELETE usually has none), without reading it. */
  hasBody: () => boolean
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

/** What the log says of a request whose client hung up before its answer (nginx's 499): nobody receives it. */
const CLIENT_CLOSED = 499

const asJson: NonNullable<UpstreamOptions['failure']> = (c, status, { code, message }) => c.json(errorBody(code, message), status)

/**
 * The call both the proxy and server code (`remoteFetch`) make: the allow-listed headers (never
 * the session or other cookies, unless `cookies` keeps some), the client's address, the request id
 * and, with a secret, the signed-in user's id and role in signed headers (`verifyIdentity` checks
 * them); the body streamed. The answer comes back as it is, without hop-by-hop headers or (by
 * default) Set-Cookie. Refused or reset: 502; no answer's head within `timeoutMs` of the upstream's
 * own time (UpstreamClock: not a slow client's upload): 504; after repeated failures a circuit
 * breaker makes it 503 at once until a trial request succeeds again (CircuitBreaker: one client's
 * failures alone never open it). Every call is logged,
 * counted and timed by the upstream's name.
 */
export function upstreamCall(options: UpstreamOptions): UpstreamCall {
  const { name, timeoutMs = 10_000, secret, cookies, setCookie = false, ownSecurityHeaders = false } = options
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
    if (UNSENDABLE_METHODS.has(request.method.toUpperCase())) throw new HttpError(405, 'method_not_allowed', `${request.method} is not forwarded.`)
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
        // The store's own policy stands: a service cannot loosen its CSP or switch HSTS off, nor wipe
        // the store's cookies, nor replace the request id its log line names. A whole other app
        // behind the fallback keeps its own policy (docs/migrating-from-nextjs.md).
        for (const header of ownSecurityHeaders ? ['strict-transport-security', 'clear-site-data', 'x-request-id'] : STORE_HEADERS) res.headers.delete(header)
        // Set on the answer, it wins over the store's, which its security middleware adds underneath.
        if (ownSecurityHeaders && options.csp && !res.headers.has('content-security-policy')) res.headers.set('content-security-policy', options.csp)
        // Its body as it comes: compressed as a stream, never read whole first (a large or slow answer).
        c.set('streamedBody', true)
        // A cookie set for a visitor: theirs alone (privateAnswers), unless the upstream says how to cache it.
        if (!setCookie) res.headers.delete('set-cookie')
        else if (dropOwnCookies(res.headers)) c.set('readCookies', true)
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

/** Methods fetch will not send (CONNECT, TRACE, TRACK: RFC 9110 and the Fetch standard). */
const UNSENDABLE_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK'])

/**
 * Headers of an upstream answer that are the store's to say, dropped from it: its security policy
 * (a service's own CSP would let scripts run on the store's origin), the request's id, and that
 * it may wipe the store's cookies.
 */
const STORE_HEADERS = [
  ...FIXED_HEADERS.map(([name]) => name.toLowerCase()),
  'content-security-policy',
  'content-security-policy-report-only',
  'x-request-id',
  'clear-site-data',
]

/**
 * What the upstream is sent: the allow-listed request headers (and the cookies `cookies` keeps),
 * who asked and from where, the request id, and with a secret the signed identity of the user.
 */
async function forwardedHeaders(
  c: Context<AppEnv>,
  request: UpstreamRequest,
  url: URL,
  { allowed, secret, cookies }: Pick<UpstreamOptions, 'secret' | 'cookies'> & { allowed: readonly string[] },
): Promise<Headers> {
  const headers = new Headers()
  for (const header of allowed) {
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
  // The address the visitor used: PUBLIC_URL's, never a Host header anyone can send (an old app
  // building a password-reset link from it would mail a victim the attacker's host). Without
  // PUBLIC_URL no host is vouched for: the upstream sees its own.
  const publicUrl = c.get('config').PUBLIC_URL
  headers.set('x-forwarded-for', clientIp(c))
  if (publicUrl) headers.set('x-forwarded-host', new URL(publicUrl).host)
  headers.set('x-forwarded-proto', new URL(publicUrl ?? c.req.url).protocol.replace(':', ''))
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
  return headers
}

/**
 * Forwards the request `c` to an upstream (see `upstreamCall` for what goes and how it fails):
 * method, path, query and body, streamed both ways. A failure answers as `failure` says (JSON
 * `{ error }` by default, with `Retry-After` on a 503). `call`: one made already, to share its breaker.
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

/**
 * The upstream's body on its way to the client. Broken off mid-stream (the upstream died), it is
 * one JSON log line, and the client's connection is cut as the upstream's was (the head is sent:
 * nothing else is honest), closed here: an error out of the body stream would make
 * @hono/node-server print its raw stack to stderr. Without Node's response (tests), the stream errors.
 */
function bodyToClient(c: Context<AppEnv>, body: ReadableStream<Uint8Array>, name: string): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read()
        if (done) controller.close()
        else controller.enqueue(value)
      } catch (err) {
        c.get('log')?.warn('upstream answer broke off', { upstream: name, err })
        const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing
        if (!outgoing) return controller.error(err)
        // Closed, Node's response cancels this stream; until then no read (a pull that never ends).
        outgoing.destroy()
        await new Promise<never>(() => {})
      }
    },
    cancel: (reason) => reader.cancel(reason),
  })
}

/**
 * A redirect's Location as the browser must see it: one into the upstream's own base path (`/v1/x`,
 * `http://reviews.internal:4000/v1/x`) becomes the same place under the store's `prefix`
 * (`/api/reviews/x`), as a reverse proxy rewrites it; one elsewhere (another site) is left as it is.
 */
function locationHere(location: string, base: URL, prefix: string, requestPath: string): string {
  const basePath = base.pathname.replace(/\/$/, '')
  let target: URL
  try {
    target = new URL(location, new URL(basePath + requestPath, base))
  } catch {
    return location
  }
  if (target.origin !== base.origin || !(target.pathname === basePath || target.pathname.startsWith(`${basePath}/`))) return location
  // A path beginning `//` (the fallback's, which has no prefix) would read as another host's address.
  const here = `${prefix}${target.pathname.slice(basePath.length) || '/'}`.replace(/^\/{2,}/, '/')
  return `${here}${target.search}${target.hash}`
}
