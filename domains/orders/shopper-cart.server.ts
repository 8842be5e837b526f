import type { Context } from 'hono'
import type { AppEnv } from '#shared/http'
import { currentUser } from '../auth/index.ts'
import { findCartId, mergeCarts, mergeWouldMove, productsIn, setAsideCartIds, visitorCartIds } from './cart.server.ts'
import { clearCartCookie, hashCartToken, issueCartToken, readCartCookies } from './cart-cookie.server.ts'

/**
 * The cart of this request: the signed-in user's (visitor carts from before signing in are merged
 * into it on the way, their cookies cleared), or the visitor's by cookie. With `create`, one is
 * made (and its cookie set).
 */
export async function shopperCartId(c: Context<AppEnv>, { create = false } = {}): Promise<number | undefined> {
  return (await shopperCart(c, { create })).cartId
}

/**
 * The cart of this request, and how many products wait outside it: merges never take a cart past
 * MAX_LINES (cart.server.ts), and what did not fit is kept, set aside for the account at sign-in
 * (no longer this browser's: its cookie is cleared all the same), or in a visitor's other cart,
 * whose cookie then stays. Such carts (the oldest MAX_MERGED) are merged again at a request that
 * finds room for them (a read first: a full cart is not written), so their products come in as
 * lines are removed or the cart is ordered.
 */
export async function shopperCart(c: Context<AppEnv>, { create = false } = {}): Promise<{ cartId: number | undefined; setAside: number }> {
  const db = c.var.db
  const user = await currentUser(c)
  if (!user) {
    const held = await visitorCart(c)
    if (held || !create) return { cartId: held?.cartId, setAside: held?.setAside ?? 0 }
    return { cartId: await findCartId(db, { tokenHash: hashCartToken(issueCartToken(c)) }, true), setAside: 0 }
  }
  const carts = await heldCarts(c)
  const live = carts.filter((cart) => cart.cartId !== undefined)
  const setAside = await setAsideCartIds(db, user.id, MAX_MERGED)
  let userCartId = await findCartId(db, { userId: user.id }, create || live.length > 0)
  // Only when the cart can take some of them: a merge claims (writes) both carts, even for nothing.
  if (setAside.length > 0 && (userCartId === undefined || (await mergeWouldMove(db, setAside, userCartId)))) {
    userCartId ??= await findCartId(db, { userId: user.id }, true)
    for (const cartId of setAside) await mergeCarts(db, cartId, userCartId!)
  }
  let leftOver = false
  for (const { cartId } of live) if ((await mergeCarts(db, cartId!, userCartId!, { setAsideFor: user.id })) > 0) leftOver = true
  for (const { name } of carts) clearCartCookie(c, name)
  return { cartId: userCartId, setAside: setAside.length > 0 || leftOver ? await productsIn(db, { setAsideFor: user.id }) : 0 }
}

/**
 * The visitor's cart by their cookies, and its token's hash. A browser holding several (new
 * carts made at once, each with a cookie of its own) has them merged here into the oldest, and
 * the others' cookies cleared. A cookie is cleared only once its cart is gone (merged, or purged),
 * never one whose cart lives: two requests at once, one seeing more cookies than the other, then
 * cannot leave the browser without the cookie of the cart that holds the lines, whatever order
 * their answers arrive in (lines only ever move into the oldest cart a request sees, whose
 * cookie stays until it is merged, in turn, into an older one). A cart whose products did not
 * all fit into the oldest (MAX_LINES) lives on with the rest, its cookie too: `setAside` counts them.
 */
export async function visitorCart(c: Context<AppEnv>): Promise<{ cartId: number; tokenHash: string; setAside: number } | undefined> {
  const carts = await heldCarts(c)
  for (const { name, cartId } of carts) if (cartId === undefined) clearCartCookie(c, name)
  const [oldest, ...others] = carts.filter((cart) => cart.cartId !== undefined).sort((a, b) => a.cartId! - b.cartId!)
  if (!oldest) return undefined
  const waiting: number[] = []
  for (const other of others) {
    // A merge into a full cart that would move nothing is not tried: its claim of both carts is a write.
    const moves = await mergeWouldMove(c.var.db, [other.cartId!], oldest.cartId!)
    if (!moves || (await mergeCarts(c.var.db, other.cartId!, oldest.cartId!)) > 0) waiting.push(other.cartId!)
    else clearCartCookie(c, other.name)
  }
  return { cartId: oldest.cartId!, tokenHash: oldest.tokenHash, setAside: await productsIn(c.var.db, waiting) }
}

/**
 * The most live visitor carts one request merges: what a request costs stays bounded; the others
 * (only a browser sent that many carts on purpose holds more) keep their cookies and join at the
 * next requests, nothing lost.
 */
const MAX_MERGED = 8

/**
 * The request's cart cookies, each with its cart's id (undefined: none): every one whose cart is
 * gone (to be cleared), and the oldest MAX_MERGED whose cart lives; the newer live ones wait.
 */
async function heldCarts(c: Context<AppEnv>) {
  const cookies = readCartCookies(c).map(({ name, token }) => ({ name, tokenHash: hashCartToken(token) }))
  const ids = await visitorCartIds(
    c.var.db,
    cookies.map((cookie) => cookie.tokenHash),
  )
  const held = cookies.map((cookie) => ({ ...cookie, cartId: ids.get(cookie.tokenHash) }))
  const live = held.filter((cart) => cart.cartId !== undefined).sort((a, b) => a.cartId! - b.cartId!)
  return [...held.filter((cart) => cart.cartId === undefined), ...live.slice(0, MAX_MERGED)]
}

/** The shopper's cart, made if need be, when asked: for an add, which asks only once the add is fine. */
export const shopperCartMaker = (c: Context<AppEnv>) => async () => (await shopperCartId(c, { create: true }))!
