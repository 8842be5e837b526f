import type { Context } from 'hono'
import type { CookieOptions } from 'hono/utils/cookie'
import type { AppEnv } from './app-env.ts'
import { readAllCookies, readCookie } from './node-http.server.ts'

/**
 * The app's cookie defaults: HttpOnly (no script reads it), SameSite=Lax (no cross-site POST
 * carries it), Path=/, and Secure in production unless SECURE_COOKIES says otherwise. A Secure
 * cookie is set with the `__Host-` prefix too (see ownCookieName); read it back with readOwnCookie.
 * @example setCookie(c, 'name', value, { ...cookieDefaults(c), maxAge: 3600 })
 */
export function cookieDefaults(c: Context<AppEnv>): CookieOptions {
  const secure = secureCookies(c)
  return { httpOnly: true, sameSite: 'Lax', path: '/', secure, ...(secure && { prefix: 'host' as const }) }
}

/**
 * The name the app's cookie `name` goes by: `__Host-name` when Secure. A browser keeps a cookie so
 * named only when this very host set it Secure, for Path=/ and no Domain, so a sibling subdomain
 * or a plain-http page cannot plant one beside it: a planted session would sign a shopper into
 * the planter's account, to type their address into it.
 */
export function ownCookieName(c: Context<AppEnv>, name: string): string {
  return secureCookies(c) ? `${HOST_PREFIX}${name}` : name
}

/** An app cookie set with cookieDefaults, by the name it was set under. */
export function readOwnCookie(c: Context<AppEnv>, name: string): string | undefined {
  return readCookie(c, ownCookieName(c, name))
}

/**
 * The app's cookies whose names start with `prefix`, each by the name it was set under (without
 * `__Host-`), in the order the request lists them: for a family of cookies, one per thing held.
 */
export function readOwnCookiesStartingWith(c: Context<AppEnv>, prefix: string): { name: string; value: string }[] {
  const own = ownCookieName(c, prefix)
  const dropped = own.length - prefix.length
  return Object.entries(readAllCookies(c)).flatMap(([name, value]) => (name.startsWith(own) ? [{ name: name.slice(dropped), value }] : []))
}

/** `names` as requests may carry them, with or without the prefix: both mark a visitor's own answers. */
export const withHostPrefix = (names: readonly string[]): string[] => names.flatMap((name) => [name, `${HOST_PREFIX}${name}`])

const HOST_PREFIX = '__Host-'
const secureCookies = (c: Context<AppEnv>) => c.var.config.SECURE_COOKIES ?? c.var.config.NODE_ENV === 'production'

/** The cookie that marks a visitor with a session: their pages are personal, never cached. */
export const SESSION_COOKIE = 'tessera_session'
