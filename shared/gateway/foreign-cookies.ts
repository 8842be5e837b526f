/** Tessera's own cookies (session, cart, device) are named so (`__Host-` first when Secure): they never leave for another app. */
const OWN_COOKIE = /^(__Host-)?tessera_/

/**
 * The request's cookies minus Tessera's own, for the app behind the migration fallback: it keeps
 * its sessions; it never sees the store's.
 * @example foreignCookies('tessera_session=x; next-auth.session-token=y') // 'next-auth.session-token=y'
 */
export function foreignCookies(header: string): string | undefined {
  const kept = header
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair && !OWN_COOKIE.test(pair))
  return kept.length > 0 ? kept.join('; ') : undefined
}

/**
 * The answer's Set-Cookie headers, minus any the store's own could be taken for: one named
 * `tessera_*`, or one with no name (`=tessera_session=x`, which a browser sends back as
 * `tessera_session=x`). True when some are kept.
 */
export function dropOwnCookies(headers: Headers): boolean {
  const cookies = headers.getSetCookie()
  if (cookies.length === 0) return false
  headers.delete('set-cookie')
  for (const cookie of cookies) {
    const name = cookie.split(';', 1)[0]!.split('=', 1)[0]!.trim()
    if (name && cookie.includes('=') && !OWN_COOKIE.test(name)) headers.append('set-cookie', cookie)
  }
  return headers.has('set-cookie')
}
