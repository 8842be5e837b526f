import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { SESSION_COOKIE, type AppEnv } from '#shared/http'

/** Secure unless configured otherwise; on by default in production. */
const secure = (c: Context<AppEnv>) => c.var.config.SECURE_COOKIES ?? c.var.config.NODE_ENV === 'production'

/** HttpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it), Path=/. */
export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: secure(c),
    expires: new Date(expiresAt),
    maxAge: Math.floor((expiresAt - Date.now()) / 1000),
  })
}

export function readSessionToken(c: Context<AppEnv>): string | undefined {
  return getCookie(c, SESSION_COOKIE)
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secure(c), httpOnly: true, sameSite: 'Lax' })
}
