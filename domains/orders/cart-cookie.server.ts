import { createHash, randomBytes } from 'node:crypto'
import type { Context } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { cookieDefaults, readOwnCookiesStartingWith, type AppEnv } from '#shared/http'

/**
 * A visitor's cart is found by a cookie; signed-in shoppers' carts by their account. Each cart
 * made gets a cookie of its own name, `tessera_cart_<random>`: two adds of a new visitor at once
 * (two tabs, two forms posted without JavaScript) each make a cart, and a browser keeps both
 * cookies, where with one name it kept the last and the other cart was lost. The next request
 * merges them (shopper-cart.server.ts). `tessera_cart`, the one name of carts made before, is
 * still read.
 */
export const CART_COOKIE = 'tessera_cart'
const NAMED_PREFIX = `${CART_COOKIE}_`
/** Every cart cookie's name, for the page cache (`personalCookies`): their holders' pages are their own. */
export const CART_COOKIES = [CART_COOKIE, `${NAMED_PREFIX}*`]
/**
 * The most cart cookies read from one request (looked up in one query): a browser holds more
 * only when sent them on purpose; a request's headers hold ~200 at most. Those of carts gone
 * (purged, or merged by an answer the browser never got) are all cleared at once, so they never
 * hide a live one; live carts are merged MAX_MERGED a request (shopper-cart.server.ts).
 */
const MAX_READ = 64
const MAX_AGE = 30 * 24 * 60 * 60
/** How long a visitor's cart can be reached: its cookie is set once, when the cart is made. */
export const VISITOR_CART_LIFETIME_MS = MAX_AGE * 1000

export const hashCartToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** A cart cookie the request carries: its name (without `__Host-`) and token. */
export interface HeldCartCookie {
  name: string
  token: string
}

/** The request's cart cookies (usually none or one; more after adds at once), at most MAX_READ. */
export function readCartCookies(c: Context<AppEnv>): HeldCartCookie[] {
  return readOwnCookiesStartingWith(c, CART_COOKIE)
    .filter(({ name, value }) => (name === CART_COOKIE || name.startsWith(NAMED_PREFIX)) && value !== '')
    .slice(0, MAX_READ)
    .map(({ name, value }) => ({ name, token: value }))
}

/** A new random cart token, set as an HttpOnly, SameSite=Lax cookie of a name of its own. */
export function issueCartToken(c: Context<AppEnv>): string {
  const token = randomBytes(32).toString('base64url')
  setCookie(c, `${NAMED_PREFIX}${randomBytes(6).toString('hex')}`, token, { ...cookieDefaults(c), maxAge: MAX_AGE })
  return token
}

export function clearCartCookie(c: Context<AppEnv>, name: string): void {
  deleteCookie(c, name, cookieDefaults(c))
}
