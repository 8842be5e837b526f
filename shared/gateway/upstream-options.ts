import type { Context } from 'hono'
import type { AppEnv } from '#shared/http'
import type { BreakerOptions } from './circuit-breaker.ts'

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
