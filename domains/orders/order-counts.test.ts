import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { testDialect, type Db } from '#shared/db'
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
/**
 * What tells whether the counts were written: on PostgreSQL the transaction ids that last wrote
 * the count rows (xmin), on SQLite the connection's count of rows written, triggers' included.
 */
async function rowWrites(): Promise<unknown> {
  if (testDialect === 'postgres') return (await sql<{ xmin: string }>`select xmin::text from order_counts order by user_id`.execute(db)).rows
  return Number((await sql<{ n: number }>`select total_changes() as n`.execute(db)).rows[0]!.n)
}
const expectTrue = async () => {
  for (const who of [...users, null]) expect(await readOrderCounts(db, who), `user ${who}`).toEqual(await countedAfresh(who))
}
const order = (userId: number, status: 'pending' | 'paid' | 'cancelled', total: number, on: Db = db) =>
  on
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

  it('in one transaction: an order placed, paid and cancelled is counted once, at the end', async () => {
    await db.transaction().execute(async (trx) => {
      const { id } = await order(users[1]!, 'pending', 500, trx)
      await trx.updateTable('orders').set({ status: 'paid' }).where('id', '=', id).execute()
      await trx.updateTable('orders').set({ status: 'cancelled', total_cents: 400 }).where('id', '=', id).execute()
    })
    await expectTrue()
  })

  it('paying an order (pending → paid moves no count) writes no count row: the everyone row is no lock checkouts queue on', async () => {
    const { id } = await order(users[0]!, 'pending', 700)
    const before = await rowWrites()
    await db.updateTable('orders').set({ status: 'paid' }).where('id', '=', id).execute()
    expect(await rowWrites()).toEqual(testDialect === 'postgres' ? before : Number(before) + 1) // SQLite counts the order's own row
    await expectTrue()
  })

  it('a shopper with no orders has zeros', async () => {
    expect(await readOrderCounts(db, 987654)).toEqual({ orders: 0, activeOrders: 0, activeCents: 0 })
  })
})
