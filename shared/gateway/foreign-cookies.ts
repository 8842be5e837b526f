/** Tessera's own cookies (session, cart, device) are named so: they never leave for another app. */
const OWN_COOKIE = /^tessera_/

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

/** Whether a Set-Cookie (or `name=value`) names one of Tessera's own cookies. */
export const isOwnCookie = (cookie: string): boolean => OWN_COOKIE.test(cookie.trimStart())
