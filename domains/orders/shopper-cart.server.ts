import type { Context } from 'hono'
import type { AppEnv } from '#shared/http'
import { currentUser } from '../auth/index.ts'
import { findCartId, mergeCarts, visitorCartIds } from './cart.server.ts'
import { clearCartCookie, hashCartToken, issueCartToken, readCartCookies } from './cart-cookie.server.ts'

/**
 * The cart of this request: the signed-in user's (visitor carts from before signing in are merged
 * into it on the way, their cookies cleared), or the visitor's by cookie. With `create`, one is
 * made (and its cookie set).
 */
export async function shopperCartId(c: Context<AppEnv>, { create = false } = {}): Promise<number | undefined> {
  const db = c.var.db
  const user = await currentUser(c)
  if (!user) {
    const held = await visitorCart(c)
    if (held || !create) return held?.cartId
    return findCartId(db, { tokenHash: hashCartToken(issueCartToken(c)) }, true)
  }
  const carts = await heldCarts(c)
  const live = carts.filter((cart) => cart.cartId !== undefined)
  const userCartId = await findCartId(db, { userId: user.id }, create || live.length > 0)
  for (const { cartId } of live) await mergeCarts(db, cartId!, userCartId!)
  for (const { name } of carts) clearCartCookie(c, name)
  return userCartId
}

/**
 * The visitor's cart by their cookies, and its token's hash. A browser holding several (new
 * carts made at once, each with a cookie of its own) has them merged here into the oldest, and
 * the others' cookies cleared. A cookie is cleared only once its cart is gone (merged, or purged),
 * never one whose cart lives: two requests at once, one seeing more cookies than the other, then
 * cannot leave the browser without the cookie of the cart that holds the lines, whatever order
 * their answers arrive in (lines only ever move into the oldest cart a request sees, whose
 * cookie stays until it is merged, in turn, into an older one).
 */
export async function visitorCart(c: Context<AppEnv>): Promise<{ cartId: number; tokenHash: string } | undefined> {
  const carts = await heldCarts(c)
  for (const { name, cartId } of carts) if (cartId === undefined) clearCartCookie(c, name)
  const [oldest, ...others] = carts.filter((cart) => cart.cartId !== undefined).sort((a, b) => a.cartId! - b.cartId!)
  if (!oldest) return undefined
  for (const other of others) {
    await mergeCarts(c.var.db, other.cartId!, oldest.cartId!)
    clearCartCookie(c, other.name)
  }
  return { cartId: oldest.cartId!, tokenHash: oldest.tokenHash }
}

/** The request's cart cookies, each with its cart's id (undefined: none). */
async function heldCarts(c: Context<AppEnv>) {
  const cookies = readCartCookies(c).map(({ name, token }) => ({ name, tokenHash: hashCartToken(token) }))
  const ids = await visitorCartIds(
    c.var.db,
    cookies.map((cookie) => cookie.tokenHash),
  )
  return cookies.map((cookie) => ({ ...cookie, cartId: ids.get(cookie.tokenHash) }))
}

/** The shopper's cart, made if need be, when asked: for an add, which asks only once the add is fine. */
export const shopperCartMaker = (c: Context<AppEnv>) => async () => (await shopperCartId(c, { create: true }))!
