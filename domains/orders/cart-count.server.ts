import type { Context } from 'hono'
import { compiledQuery, type Db } from '#shared/db'
import type { AppEnv } from '#shared/http'
import { currentUser } from '../auth/index.ts'
import { MAX_QUANTITY } from './cart.server.ts'
import { hashCartToken, readCartCookies } from './cart-cookie.server.ts'
import { shopperCartId, visitorCart } from './shopper-cart.server.ts'

/** The header's badge that shows the cart's item count (the `cart` of the domain's `badges`). */
export const CART_BADGE = 'cart'

/**
 * How many items the header's cart shows: what `/cart` will hold. A visitor cart still held by
 * cookie when signed in (filled before signing in) joins the account's here, at the first page
 * after signing in, and its cookie goes: left for the next visit to the cart, it passed to
 * whoever signed in next on this browser. Visitor carts made at once (two tabs' first adds) merge
 * here too. A visitor with no cart cookie who is not signed in has no cart: 0, without a query;
 * one cart cookie, or a session alone, is one query. Products set aside for the account (what did
 * not fit at a sign-in) are not counted while they wait outside the cart, as /cart counts them
 * apart; when the cart has room for them they join it here, as /cart would, and are counted.
 */
export async function cartItemCount(c: Context<AppEnv>): Promise<number> {
  const cookies = readCartCookies(c)
  const user = await currentUser(c) // looked up once per request: the layout asked for the viewer already
  if (cookies.length === 0 && !user) return 0
  let tokenHash = cookies.length === 1 ? hashCartToken(cookies[0]!.token) : null
  if (cookies.length > 0 && user) await shopperCartId(c)
  else if (cookies.length > 1) tokenHash = (await visitorCart(c))?.tokenHash ?? null
  const params = { userId: user?.id ?? null, tokenHash }
  const [row] = await cartCount(c.var.db, params)
  if (!user || cookies.length > 0 || !row?.setAside) return Number(row?.count ?? 0)
  // Products set aside for the account join the cart at a request that finds room (as /cart's would): here too, then counted.
  await shopperCartId(c)
  const [merged] = await cartCount(c.var.db, params)
  return Number(merged?.count ?? 0)
}

/**
 * The items in the carts of a user and of a cart token (either may be null), a product's lines
 * added up and capped as merging them does: one indexed lookup per cart, a few rows each; and
 * whether carts are set aside for the user.
 */
export function cartCountQuery(db: Db, p: { userId: number | null; tokenHash: string | null }) {
  const lines = db
    .selectFrom('cart_items')
    .innerJoin('carts', 'carts.id', 'cart_items.cart_id')
    .where((eb) => eb.or([eb('carts.user_id', '=', p.userId), eb('carts.token_hash', '=', p.tokenHash)]))
    .groupBy('cart_items.product_id')
    // A CASE, not SQLite's two-argument min() (PostgreSQL's least()): the same on both.
    .select((eb) => {
      const sum = eb.fn.sum<number>('cart_items.quantity')
      return eb.case().when(sum, '<', MAX_QUANTITY).then(sum).else(MAX_QUANTITY).end().as('quantity')
    })
  return db.selectFrom(lines.as('lines')).select((eb) => [
    eb.fn.coalesce(eb.fn.sum<number>('lines.quantity'), eb.lit(0)).as('count'),
    // Whether products wait outside the user's cart (set aside at a sign-in past MAX_LINES): an indexed look.
    eb.exists(db.selectFrom('carts').select('id').where('set_aside_for', '=', p.userId)).as('setAside'),
  ])
}
const cartCount = compiledQuery(cartCountQuery)
