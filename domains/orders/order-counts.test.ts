import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '#shared/db'
import { createTestApp } from '../../tests/support/test-app.ts'
import { readOrderCounts } from './order-counts.server.ts'
import { seedOrders } from './seed-orders.server.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>
let db: Db
const users: number[] = []
beforeAll(async () => {
  testApp = await createTestApp()
  db = testApp.db
  for (const email of ['a@example.com', 'b@example.com'])
    users.push(
      (await db.insertInto('users').values({ email, name: email, password_hash: 'x', created_at: 0, updated_at: 0 }).returning('id').executeTakeFirstOrThrow())
        .id,
    )
})
afterAll(() => testApp.close())

/** The counts as count(*) and sum() over the orders would give them: what order_counts must say. */
async function countedAfresh(userId: number | null) {
  let orders = db.selectFrom('orders')
  if (userId !== null) orders = orders.where('user_id', '=', userId)
  const row = await orders
    .select((eb) => [
      eb.fn.countAll<number>().as('orders'),
      eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('status', '!=', 'cancelled').then(1).else(0).end()), eb.lit(0)).as('activeOrders'),
      eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('status', '!=', 'cancelled').then(eb.ref('total_cents')).else(0).end()), eb.lit(0)).as('activeCents'),
    ])
    .executeTakeFirstOrThrow()
  return { orders: Number(row.orders), activeOrders: Number(row.activeOrders), activeCents: Number(row.activeCents) }
}
const expectTrue = async () => {
  for (const who of [...users, null]) expect(await readOrderCounts(db, who), `user ${who}`).toEqual(await countedAfresh(who))
}
const order = (userId: number, status: 'pending' | 'paid' | 'cancelled', total: number) =>
  db
    .insertInto('orders')
    .values({
      user_id: userId,
      status,
      total_cents: total,
      currency: 'USD',
      shipping: '{}',
      payment_ref: null,
      idempotency_key: null,
      created_at: 0,
      updated_at: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()

describe('order counts (per shopper and everyone’s) stay exact', () => {
  it('through a bulk seed (counted once after), a small seed (triggers live), placing, paying, cancelling, moving and deleting orders', async () => {
    await seedOrders(db, { count: 500 })
    await expectTrue()
    expect((await readOrderCounts(db, null)).orders).toBe(500)
    await seedOrders(db, { count: 20, user: 'a@example.com' })
    await expectTrue()
    const { id } = await order(users[0]!, 'pending', 1234)
    await expectTrue()
    await db.updateTable('orders').set({ status: 'paid' }).where('id', '=', id).execute()
    await db.updateTable('orders').set({ status: 'cancelled' }).where('id', '=', id).execute()
    await expectTrue()
    await db.updateTable('orders').set({ user_id: users[1]!, status: 'paid', total_cents: 99 }).where('id', '=', id).execute()
    await expectTrue()
    await db.deleteFrom('order_lines').where('order_id', '=', id).execute()
    await db.deleteFrom('orders').where('id', '=', id).execute()
    await expectTrue()
  })

  it('a shopper with no orders has zeros', async () => {
    expect(await readOrderCounts(db, 987654)).toEqual({ orders: 0, activeOrders: 0, activeCents: 0 })
  })
})
