import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../tests/support/test-app.ts'
import { addItem, findCartId, readCart } from './cart.server.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  testApp = await createTestApp()
})
afterAll(() => testApp.close())

/** A visitor's new, empty cart. */
const newCart = async () => (await findCartId(testApp.db, { tokenHash: `token-${Math.random()}` }, true))!

/*
 * An add checks the product, then writes the line: another request (another process, host) may
 * delete the product or the cart in between. Each test plays that request inside `cartOf`, which
 * the add asks for its cart after its checks.
 */
describe('an add racing another request', () => {
  it('is a 404 when the product is deleted meanwhile, never a 500', async () => {
    const { db } = testApp
    const { id } = await db
      .insertInto('products')
      .values({
        slug: 'racing-jar',
        name: 'Racing Jar',
        description: '',
        price_cents: 100,
        stock: 5,
        category_id: 1,
        image_url: null,
        created_at: 1,
        updated_at: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const cartId = await newCart()
    const deleting = async () => {
      await db.deleteFrom('products').where('id', '=', id).execute()
      return cartId
    }
    await expect(addItem(db, deleting, id, 1)).rejects.toMatchObject({ status: 404, code: 'not_found', message: 'No such product.' })
    expect((await readCart(db, cartId)).items).toEqual([])
  })

  it('goes to the cart there is now when its cart was merged into an account meanwhile', async () => {
    const { db } = testApp
    const merged = await newCart()
    const account = await newCart()
    const carts = [merged, account]
    const mergedMeanwhile = async () => {
      const cartId = carts.shift()!
      if (cartId === merged) await db.deleteFrom('carts').where('id', '=', merged).execute() // the sign-in's merge
      return cartId
    }
    expect(await addItem(db, mergedMeanwhile, 20, 2)).toBe(account)
    expect((await readCart(db, account)).items).toEqual([expect.objectContaining({ productId: 20, quantity: 2 })])
  })
})
