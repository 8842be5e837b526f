import type { Context } from 'hono'
import { FIXED_HEADERS, type AppEnv } from '#shared/http'
import { dropOwnCookies } from './foreign-cookies.ts'
import type { UpstreamOptions } from './upstream-options.ts'

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
 * An upstream answer's headers made fit to pass on, in place. The store's own policy stands: a
 * service cannot loosen its CSP or switch HSTS off, nor wipe the store's cookies, nor replace the
 * request id its log line names. A whole other app behind the fallback (`ownSecurityHeaders`)
 * keeps its own policy (docs/migrating-from-nextjs.md).
 * @example fitAnswerHeaders(c, res.headers, { ownSecurityHeaders: false, setCookie: false })
 */
export function fitAnswerHeaders(
  c: Context<AppEnv>,
  headers: Headers,
  { ownSecurityHeaders = false, csp, setCookie = false }: Pick<UpstreamOptions, 'ownSecurityHeaders' | 'csp' | 'setCookie'>,
): void {
  for (const header of ownSecurityHeaders ? ['strict-transport-security', 'clear-site-data', 'x-request-id'] : STORE_HEADERS) headers.delete(header)
  // Set on the answer, it wins over the store's, which its security middleware adds underneath.
  if (ownSecurityHeaders && csp && !headers.has('content-security-policy')) headers.set('content-security-policy', csp)
  // A cookie set for a visitor: theirs alone (privateAnswers), unless the upstream says how to cache it.
  if (!setCookie) headers.delete('set-cookie')
  else if (dropOwnCookies(headers)) c.set('readCookies', true)
}
