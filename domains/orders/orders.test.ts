import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../tests/support/test-app.ts'
import { findCartId, readCart } from './cart.server.ts'
import { hasPurchased } from './orders.server.ts'
import type { PaymentGateway } from './payments.server.ts'
import { expirePendingOrder, placeOrder } from './place-order.server.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  testApp = await createTestApp()
})
afterAll(() => testApp.close())

/** An order as trx 1 of a checkout leaves it: stock taken, status pending, payment unknown. */
async function orderLeftBy(status: 'pending' | 'paid') {
  const { db } = testApp
  await db.updateTable('products').set({ stock: 3 }).where('id', '=', 40).execute()
  const user = await db
    .insertInto('users')
    .values({ email: `u${Math.random()}@example.com`, name: 'U', password_hash: 'x', created_at: 0, updated_at: 0 })
    .returning('id')
    .executeTakeFirstOrThrow()
  const order = await db
    .insertInto('orders')
    .values({
      user_id: user.id,
      status,
      total_cents: 100,
      currency: 'USD',
      shipping: '{}',
      payment_ref: null,
      idempotency_key: null,
      created_at: 0,
      updated_at: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('order_lines').values({ order_id: order.id, product_id: 40, name: 'X', quantity: 2, price_cents: 50 }).execute()
  await db.updateTable('products').set({ stock: 1 }).where('id', '=', 40).execute()
  return order.id
}
const stock = async () => (await testApp.db.selectFrom('products').select('stock').where('id', '=', 40).executeTakeFirstOrThrow()).stock

describe('an order left pending by a crash', () => {
  it('is deleted, its stock and its lines given back (to what the cart holds now) when its expiry job runs', async () => {
    const id = await orderLeftBy('pending')
    const { user_id } = await testApp.db.selectFrom('orders').select('user_id').where('id', '=', id).executeTakeFirstOrThrow()
    const cartId = (await findCartId(testApp.db, { userId: user_id }, true))!
    await testApp.db.insertInto('cart_items').values({ cart_id: cartId, product_id: 40, quantity: 1 }).execute()
    await expirePendingOrder(testApp.db, id)
    expect(await stock()).toBe(3)
    expect(await testApp.db.selectFrom('orders').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined()
    expect((await readCart(testApp.db, cartId)).items).toEqual([expect.objectContaining({ productId: 40, quantity: 3 })])
    await expirePendingOrder(testApp.db, id) // the job ran twice: nothing more
    expect(await stock()).toBe(3)
  })

  it('is left alone once paid', async () => {
    const id = await orderLeftBy('paid')
    await expirePendingOrder(testApp.db, id)
    expect(await stock()).toBe(1)
    expect(await testApp.db.selectFrom('orders').select('status').where('id', '=', id).executeTakeFirst()).toEqual({ status: 'paid' })
  })
})

describe('a payment that outlives its order', () => {
  it('is refunded when the order expired meanwhile (409 order_expired): no order, stock and cart given back', async () => {
    const { db } = testApp
    await db.updateTable('products').set({ stock: 3 }).where('id', '=', 41).execute()
    const user = await db
      .insertInto('users')
      .values({ email: `late${Math.random()}@example.com`, name: 'U', password_hash: 'x', created_at: 0, updated_at: 0 })
      .returning('id')
      .executeTakeFirstOrThrow()
    const cartId = (await findCartId(db, { userId: user.id }, true))!
    await db.insertInto('cart_items').values({ cart_id: cartId, product_id: 41, quantity: 1 }).execute()
    const refunds: string[] = []
    // A gateway so slow that the order's expiry job runs before it answers.
    const gateway: PaymentGateway = {
      async charge({ reference }) {
        await expirePendingOrder(db, Number(reference.replace('order-', '')))
        return { ok: true, id: 'late_charge' }
      },
      async refund(id) {
        refunds.push(id)
      },
    }
    const input = {
      shipping: { name: 'A', line1: '1 Road', city: 'Town', postalCode: '12345', country: 'GB' },
      card: { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' },
    }
    await expect(placeOrder(db, { userId: user.id, cartId, input, gateway, fulfilAfterMs: 60_000 })).rejects.toMatchObject({
      status: 409,
      code: 'order_expired',
    })
    expect(refunds).toEqual(['late_charge'])
    expect(await db.selectFrom('orders').select('id').where('user_id', '=', user.id).execute()).toEqual([])
    expect((await db.selectFrom('products').select('stock').where('id', '=', 41).executeTakeFirstOrThrow()).stock).toBe(3)
    expect((await readCart(db, cartId)).count).toBe(1)
  })
})

describe('hasPurchased', () => {
  it('is true for a paid order of the product, false for a pending one or another product', async () => {
    const paid = await orderLeftBy('paid')
    const { user_id } = await testApp.db.selectFrom('orders').select('user_id').where('id', '=', paid).executeTakeFirstOrThrow()
    expect(await hasPurchased(testApp.db, user_id, 40)).toBe(true)
    expect(await hasPurchased(testApp.db, user_id, 41)).toBe(false)
    const pending = await orderLeftBy('pending')
    const other = await testApp.db.selectFrom('orders').select('user_id').where('id', '=', pending).executeTakeFirstOrThrow()
    expect(await hasPurchased(testApp.db, other.user_id, 40)).toBe(false)
  })
})
