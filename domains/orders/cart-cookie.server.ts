import { createHash, randomBytes } from 'node:crypto'
import type { Context } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { cookieDefaults, readOwnCookie, type AppEnv } from '#shared/http'

/** A visitor's cart is found by this cookie; signed-in shoppers' carts by their account. */
export const CART_COOKIE = 'tessera_cart'
const MAX_AGE = 30 * 24 * 60 * 60
/** How long a visitor's cart can be reached: its cookie is set once, when the cart is made. */
export const VISITOR_CART_LIFETIME_MS = MAX_AGE * 1000

export const hashCartToken = (token: string) => createHash('sha256').update(token).digest('hex')

export function readCartToken(c: Context<AppEnv>): string | undefined {
  return readOwnCookie(c, CART_COOKIE)
}

/** A new random cart token, set as an HttpOnly, SameSite=Lax cookie. */
export function issueCartToken(c: Context<AppEnv>): string {
  const token = randomBytes(32).toString('base64url')
  setCookie(c, CART_COOKIE, token, { ...cookieDefaults(c), maxAge: MAX_AGE })
  return token
}

export function clearCartToken(c: Context<AppEnv>): void {
  deleteCookie(c, CART_COOKIE, cookieDefaults(c))
}
