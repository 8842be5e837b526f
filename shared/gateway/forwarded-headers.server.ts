import type { Context } from 'hono'
import { clientIp, type AppEnv } from '#shared/http'
import { injectTraceContext } from '#shared/tracing'
import { identityHeaders } from './signed-identity.ts'
import type { UpstreamOptions, UpstreamRequest } from './upstream-options.ts'

/** Request headers an upstream gets from the client; any other (Cookie, Authorization, …) never leaves. */
export const FORWARDED_REQUEST_HEADERS = [
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
 * What the upstream is sent: the allow-listed request headers (and the cookies `cookies` keeps),
 * who asked and from where, the request id, and with a secret the signed identity of the user.
 * @example const headers = await forwardedHeaders(c, request, url, { allowed: FORWARDED_REQUEST_HEADERS, secret })
 */
export async function forwardedHeaders(
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
