import type { Context } from 'hono'
import type { CookieOptions } from 'hono/utils/cookie'
import type { AppEnv } from './app-env.ts'

/**
 * The app's cookie defaults: HttpOnly (no script reads it), SameSite=Lax (no cross-site POST
 * carries it), Path=/, and Secure in production unless SECURE_COOKIES says otherwise.
 * @example setCookie(c, 'name', value, { ...cookieDefaults(c), maxAge: 3600 })
 */
export function cookieDefaults(c: Context<AppEnv>): CookieOptions {
  return { httpOnly: true, sameSite: 'Lax', path: '/', secure: c.var.config.SECURE_COOKIES ?? c.var.config.NODE_ENV === 'production' }
}

/** The cookie that marks a visitor with a session: their pages are personal, never cached. */
export const SESSION_COOKIE = 'tessera_session'
