import type { Context } from 'hono'
import type { AppEnv } from '#shared/http'
import { currentUser } from '../auth/index.ts'
import { findCartId, mergeCarts } from './cart.server.ts'
import { clearCartToken, hashCartToken, issueCartToken, readCartToken } from './cart-cookie.server.ts'

/**
 * The cart of this request: the signed-in user's (a visitor cart from before signing in is merged
 * into it on the way), or the visitor's by cookie. With `create`, one is made (and the cookie set).
 */
export async function shopperCartId(c: Context<AppEnv>, { create = false } = {}): Promise<number | undefined> {
  const db = c.var.db
  const user = await currentUser(c)
  const token = readCartToken(c)
  const visitorCartId = token ? await findCartId(db, { tokenHash: hashCartToken(token) }, false) : undefined
  if (!user) {
    if (visitorCartId || !create) return visitorCartId
    return findCartId(db, { tokenHash: hashCartToken(issueCartToken(c)) }, true)
  }
  const userCartId = await findCartId(db, { userId: user.id }, create || visitorCartId !== undefined)
  if (visitorCartId && userCartId) {
    await mergeCarts(db, visitorCartId, userCartId)
    clearCartToken(c)
  }
  return userCartId
}

/** The shopper's cart, made if need be, when asked: for an add, which asks only once the add is fine. */
export const shopperCartMaker = (c: Context<AppEnv>) => async () => (await shopperCartId(c, { create: true }))!
