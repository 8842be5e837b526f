import { Hono, type Context } from 'hono'
import { defineDomain, type Domain } from '#shared/domain'
import type { AppEnv } from '#shared/http'
import { upstreamCall } from './upstream-call.server.ts'
import type { UpstreamCall, UpstreamOptions } from './upstream-options.ts'
import { upstreamProxy } from './upstream-proxy.server.ts'

export interface RemoteDomainDefinition extends Pick<UpstreamOptions, 'timeoutMs' | 'secret' | 'breaker'> {
  /** kebab-case; `/api/<name>/*` goes to the upstream. */
  name: string
  /** The service's base URL, typically from the environment: `/api/<name>/x?y` goes to `<upstream>/x?y`. */
  upstream: string | undefined
}

/** Each remote domain's one caller, by name: the proxy and `remoteFetch` share its breaker. */
const callers = new Map<string, UpstreamCall>()

/**
 * A domain served by another service (the API gateway pattern): its `index.ts` holds only this,
 * and `/api/<name>/*` is proxied to `upstream` (see `upstreamProxy` for what is forwarded, how
 * failures answer, and the signed identity headers `secret` adds). A missing or malformed URL
 * stops the start with one line naming the domain.
 * @example export default defineRemoteDomain({ name: 'reviews', upstream: process.env.REVIEWS_URL, secret: process.env.REVIEWS_SECRET })
 */
export function defineRemoteDomain({ name, upstream, ...options }: RemoteDomainDefinition): Domain {
  if (!upstream || !URL.canParse(upstream) || !/^https?:$/.test(new URL(upstream).protocol)) {
    throw new Error(`Remote domain "${name}": upstream must be an http(s) URL, got ${JSON.stringify(upstream ?? null)}.`)
  }
  if (options.secret !== undefined && options.secret.length < 32) throw new Error(`Remote domain "${name}": the secret must be 32 characters or more.`)
  const call = upstreamCall({ name, upstream, ...options })
  callers.set(name, call)
  const forward = upstreamProxy({ name, upstream, ...options }, call)
  const prefix = `/api/${name}`
  const api = new Hono<AppEnv>().all('*', (c) => forward(c, prefix))
  return defineDomain({ name, api })
}

/**
 * A `fetch` for server code (a loader, a BFF handler) that calls the remote domain `name` on
 * behalf of the request `c`, as the proxy would: the signed identity of its user, its request id,
 * the domain's timeout, circuit breaker, logs and metrics; of the call's own headers only the
 * proxy's allow-list (never a cookie). Give it the address the browser uses, `/api/<name>/…` (the
 * origin is not used): the rest goes after the upstream URL. Typed clients take it as their
 * `fetch`. No answer rejects with an `UpstreamError` (502, 504, 503), which the app answers as
 * the proxy does; the call's own `signal` aborting rejects with its reason, as fetch does.
 * @example
 * const reviews = hc<ReviewsApp>('http://localhost/api/reviews', { fetch: remoteFetch(c, 'reviews') })
 * const res = await reviews['by-product'][':id'].$get({ param: { id: '7' } })
 */
export function remoteFetch(c: Context<AppEnv>, name: string): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  const call = callers.get(name)
  if (!call) throw new Error(`No remote domain is named "${name}" (defineRemoteDomain).`)
  const prefix = `/api/${name}`
  return async (input, init) => {
    const request = new Request(typeof input === 'string' ? new URL(input, 'http://localhost') : input, init)
    const { pathname, search } = new URL(request.url)
    if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) throw new TypeError(`remoteFetch("${name}") calls ${prefix}/…, not ${pathname}.`)
    return call(c, {
      method: request.method,
      path: pathname.slice(prefix.length) || '/',
      search,
      header: (header) => request.headers.get(header) ?? undefined,
      body: () => request.body,
      hasBody: () => request.body !== null,
      signal: request.signal,
    })
  }
}
