import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../tests/support/test-app.ts'
import { ownProduct } from './test-product.ts'
import { addItem, findCartId, MAX_LINES, purgeUnreachableVisitorCarts, readCart, setQuantity } from './cart.server.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  testApp = await createTestApp()
})
afterAll(() => testApp.close())

/** A visitor's new, empty cart. */
const newCart = async () => (await findCartId(testApp.db, { tokenHash: `token-${Math.random()}` }, true))!

describe("visitors' carts no cookie can reach", () => {
  it("are purged with their lines once made before the cookie's lifetime; newer ones and accounts' carts stay", async () => {
    const { db } = testApp
    const made = async (owner: { userId: number } | { tokenHash: string }, createdAt: number) => {
      const cartId = (await findCartId(db, owner, true))!
      await db.updateTable('carts').set({ created_at: createdAt }).where('id', '=', cartId).execute()
      await db.insertInto('cart_items').values({ cart_id: cartId, product_id: 30, quantity: 1 }).execute()
      return cartId
    }
    const { id: userId } = await db
      .insertInto('users')
      .values({ email: `old${Math.random()}@example.com`, name: 'O', password_hash: 'x', created_at: 0, updated_at: 0 })
      .returning('id')
      .executeTakeFirstOrThrow()
    const cutoff = Date.now() - 30 * 24 * 60 * 60 * 1000
    const expired = await made({ tokenHash: `old-${Math.random()}` }, cutoff - 1)
    const fresh = await made({ tokenHash: `new-${Math.random()}` }, cutoff + 60_000)
    const account = await made({ userId }, cutoff - 1)
    expect(await purgeUnreachableVisitorCarts(db, cutoff)).toBeGreaterThanOrEqual(1)
    const left = (await db.selectFrom('carts').select('id').where('id', 'in', [expired, fresh, account]).execute()).map((row) => row.id)
    expect(left.sort()).toEqual([fresh, account].sort())
    expect(await db.selectFrom('cart_items').select('cart_id').where('cart_id', '=', expired).execute()).toEqual([])
  })
})

/*
 * PostgreSQL writes a changed row anew at the heap's end, so an unordered read showed a line whose
 * quantity changed last (and a merged cart's lines in the order they moved): the page reshuffled.
 */
describe("a cart's lines", () => {
  it('keep their places when a quantity changes, on either database', async () => {
    const { db } = testApp
    const cartId = await newCart()
    for (const productId of [23, 21, 22]) await addItem(db, async () => cartId, productId, 1)
    const order = async () => (await readCart(db, cartId)).items.map((item) => item.productId)
    expect(await order()).toEqual([21, 22, 23])
    await setQuantity(db, cartId, 21, 3)
    await setQuantity(db, cartId, 22, 2)
    expect(await order()).toEqual([21, 22, 23])
  })
})

/*
 * An add checks the product, then writes the line: another request (another process, host) may
 * delete the product or the cart in between. Each test plays that request inside `cartOf`, which
 * the add asks for its cart after its checks.
 */
describe('an add racing another request', () => {
  it('is a 404 when the product is deleted meanwhile, never a 500', async () => {
    const { db } = testApp
    const id = await ownProduct(db, 'racing-jar')
    const cartId = await newCart()
    const deleting = async () => {
      await db.deleteFrom('products').where('id', '=', id).execute()
      return cartId
    }
    await expect(addItem(db, deleting, id, 1)).rejects.toMatchObject({ status: 404, code: 'not_found', message: 'No such product.' })
    expect((await readCart(db, cartId)).items).toEqual([])
  })

  it('goes to the cart `cartOf` gives next when its cart was merged into an account meanwhile', async () => {
    const { db } = testApp
    // For a visitor whose cart a sign-in elsewhere merged, the route's cartOf then makes a new visitor cart.
    const merged = await newCart()
    const next = await newCart()
    const carts = [merged, next]
    const mergedMeanwhile = async () => {
      const cartId = carts.shift()!
      if (cartId === merged) await db.deleteFrom('carts').where('id', '=', merged).execute() // the sign-in's merge
      return cartId
    }
    expect(await addItem(db, mergedMeanwhile, 20, 2)).toBe(next)
    expect((await readCart(db, next)).items).toEqual([expect.objectContaining({ productId: 20, quantity: 2 })])
  })
})

describe('a full cart', () => {
  /** A cart holding one of each of the products with ids 1…`lines`. */
  const cartOfLines = async (lines: number) => {
    const cartId = await newCart()
    const rows = Array.from({ length: lines }, (_, i) => ({ cart_id: cartId, product_id: i + 1, quantity: 1 }))
    await testApp.db.insertInto('cart_items').values(rows).execute()
    return cartId
  }

  it(`takes no product past ${MAX_LINES} different ones, with a 409 that says so, but more of one it holds`, async () => {
    const { db } = testApp
    const cartId = await cartOfLines(MAX_LINES)
    await expect(addItem(db, async () => cartId, MAX_LINES + 1, 1)).rejects.toMatchObject({
      status: 409,
      code: 'cart_full',
      message: `Your cart holds ${MAX_LINES} different products, the most one order takes: check out or remove some first.`,
    })
    await addItem(db, async () => cartId, 1, 2)
    const cart = await readCart(db, cartId)
    expect([cart.items.length, cart.items.find((item) => item.productId === 1)?.quantity]).toEqual([MAX_LINES, 3])
  })

  it('gives its last free line to one of several adds at once, never to each', async () => {
    const { db } = testApp
    const cartId = await cartOfLines(MAX_LINES - 1)
    const adds = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => addItem(db, async () => cartId, MAX_LINES + i, 1)))
    expect(adds.filter((add) => add.status === 'fulfilled')).toHaveLength(1)
    expect(adds.filter((add) => add.status === 'rejected').map((add) => (add as PromiseRejectedResult).reason.code)).toEqual(Array(5).fill('cart_full'))
    expect((await readCart(db, cartId)).items).toHaveLength(MAX_LINES)
  })
})
