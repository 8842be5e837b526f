import type { Context } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { cookieDefaults, readOwnCookie, SESSION_COOKIE, type AppEnv } from '#shared/http'

/** The session cookie, with the app's defaults (HttpOnly, SameSite=Lax, Secure in production). */
export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number): void {
  setCookie(c, SESSION_COOKIE, token, {
    ...cookieDefaults(c),
    expires: new Date(expiresAt),
    maxAge: Math.floor((expiresAt - Date.now()) / 1000),
  })
}

export function readSessionToken(c: Context<AppEnv>): string | undefined {
  return readOwnCookie(c, SESSION_COOKIE)
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, cookieDefaults(c))
}
