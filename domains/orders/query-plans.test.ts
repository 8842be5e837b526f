import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { settleBulkLoad, testDialect, type Seek } from '#shared/db'
import { describePlan, postgresPlanOf, postgresPlanProblems } from '../../tests/support/postgres-query-plan.ts'
import { planOf, planProblems } from '../../tests/support/query-plan.ts'
import { createTestApp } from '../../tests/support/test-app.ts'
import { unreachableVisitorCartsQuery } from './cart.server.ts'
import { unreadNotificationsQuery } from './dashboard.server.ts'
import { orderCountsQuery } from './order-counts.server.ts'
import { orderLinesQuery, ordersPageQuery } from './orders.server.ts'
import { seedOrders } from './seed-orders.server.ts'

/*
 * /orders, /admin/orders and /dashboard, read from SQLite's plan of the SQL the app runs: none
 * may read every order, or sort them, or skip them, to show a page; no total is a count(*).
 * (The known costs the first slice of #14 named here, OFFSET and count(*), are gone: decision 014.)
 */

let testApp: Awaited<ReturnType<typeof createTestApp>>
let userId: number
beforeAll(async () => {
  testApp = await createTestApp()
  userId = (
    await testApp.db
      .insertInto('users')
      .values({ email: 'plans@example.com', name: 'P', password_hash: 'x', created_at: 0, updated_at: 0 })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  if (testDialect === 'sqlite') {
    // SQLite's plans read the same at 3,000 orders of one shopper as at a million of many.
    await seedOrders(testApp.db, { count: 3000 })
    return
  }
  // PostgreSQL's planner weighs sizes and statistics, so its plans are read in a store shaped like
  // a real one: 2,000 shoppers, 30,000 orders among them and 20,000 more of the one whose pages
  // are planned (a shopper with few orders is rightly sorted whole), a notification for each, analyzed.
  await sql`insert into users (email, name, password_hash, created_at, updated_at)
    select 'plans-' || g || '@example.com', 'P', 'x', 0, 0 from generate_series(1, 1999) g`.execute(testApp.db)
  await seedOrders(testApp.db, { count: 30_000 })
  await seedOrders(testApp.db, { count: 20_000, user: 'plans@example.com' })
  await sql`insert into notifications (user_id, order_id, message, read_at, created_at)
    select user_id, id, 'Shipped', case when id % 3 = 0 then null else created_at end, created_at from orders`.execute(testApp.db)
  await settleBulkLoad(testApp.db, ['users', 'orders', 'order_lines', 'order_counts', 'notifications'])
}, 60_000) // PostgreSQL: ~10-20 s to seed and analyze 50,000 orders on this machine
afterAll(() => testApp.close())

async function expectPlan(query: Parameters<typeof planOf>[1], { walkable = false, costs = [] as { problems: string[] }[] } = {}) {
  const plan = await planOf(testApp.db, query)
  expect(planProblems(plan, { walkable }), `plan:\n  ${plan.join('\n  ')}`).toEqual(costs.flatMap((cost) => cost.problems))
  return plan
}

// SQLite's own plan (EXPLAIN QUERY PLAN): PostgreSQL's twin of these checks is the describe after this one.
describe.skipIf(testDialect !== 'sqlite')('order listings read their page off an index', () => {
  const seeks: Seek[] = ['offset', 'after', 'before', 'last']
  const p = { limit: 21, offset: 40, key: Date.UTC(2025, 11, 31), id: 1500 }

  it("the purge of visitors' expired carts: from the oldest, through carts_owner_age, never every cart", async () => {
    expect(await expectPlan(unreachableVisitorCartsQuery(testApp.db, Date.now()), { walkable: true })).toEqual([
      expect.stringMatching(/^SEARCH carts USING (COVERING )?INDEX carts_owner_age \(user_id=\? AND created_at<\?\)$/),
    ])
  })

  it.each(seeks)("everyone's orders, newest first (/admin/orders), %s: walking created_at (from a position: entered at it)", async (seek) => {
    const plan = await expectPlan(ordersPageQuery(testApp.db, null, seek, p), { walkable: true })
    if (seek === 'after' || seek === 'before') expect(plan).toEqual([expect.stringMatching(/^SEARCH orders USING INDEX orders_created \(created_at[<>]\?\)$/)])
  })

  it.each(seeks)("a shopper's orders, newest first (/orders, the dashboard's recent five), %s", async (seek) => {
    const plan = await expectPlan(ordersPageQuery(testApp.db, userId, seek, p))
    if (seek === 'after' || seek === 'before')
      expect(plan).toEqual([expect.stringMatching(/^SEARCH orders USING INDEX orders_user \(user_id=\? AND created_at[<>]\?\)$/)])
  })

  it('a page after, before or from the end reads no order before it (no OFFSET); numbered pages stop at 20', () => {
    for (const seek of ['after', 'before', 'last'] as const)
      for (const who of [null, userId]) expect(ordersPageQuery(testApp.db, who, seek, p).compile().sql).not.toMatch(/offset/)
  })

  it('the totals, a shopper’s and everyone’s: one row of order_counts by its key, never a count(*)', async () => {
    for (const who of [userId, null]) {
      expect(await planOf(testApp.db, orderCountsQuery(testApp.db, who))).toEqual(['SEARCH order_counts USING INTEGER PRIMARY KEY (rowid=?)'])
      expect(orderCountsQuery(testApp.db, who).compile().sql).not.toMatch(/count\(/)
    }
  })

  it("a page's order lines, in the primary key's order", async () => {
    await expectPlan(orderLinesQuery(testApp.db, [3, 1, 2]))
  })

  it("the dashboard's unread notifications, newest first", async () => {
    await expectPlan(unreadNotificationsQuery(testApp.db, userId))
  })
})

describe.skipIf(testDialect !== 'postgres')('order listings on PostgreSQL read their page off an index', () => {
  const seeks: Seek[] = ['offset', 'after', 'before', 'last']
  const p = { limit: 21, offset: 40, key: Date.UTC(2025, 11, 31), id: 25_000 }
  /** No Seq Scan of a table that grows with the store, no Sort: every page read off an index, in its order. */
  const expectPgPlan = async (query: Parameters<typeof postgresPlanOf>[1]) => {
    const plan = await postgresPlanOf(testApp.db, query)
    expect(
      postgresPlanProblems(plan, { tables: ['orders', 'order_lines', 'order_counts', 'notifications'] }),
      `plan:\n  ${describePlan(plan).join('\n  ')}`,
    ).toEqual([])
    return plan
  }

  it.each(seeks)("everyone's orders, newest first (/admin/orders), %s: walking orders_created (migration 005 ends it with id)", async (seek) => {
    const plan = await expectPgPlan(ordersPageQuery(testApp.db, null, seek, p))
    expect(plan.map((step) => step['Index Name']).filter(Boolean)).toEqual(['orders_created'])
  })

  it.each(seeks)("a shopper's orders, newest first (/orders, the dashboard's recent five), %s: walking orders_user", async (seek) => {
    const plan = await expectPgPlan(ordersPageQuery(testApp.db, userId, seek, p))
    expect(plan.map((step) => step['Index Name']).filter(Boolean)).toEqual(['orders_user'])
  })

  it('the totals, a shopper’s and everyone’s: one row of order_counts by its key', async () => {
    for (const who of [userId, null])
      expect((await expectPgPlan(orderCountsQuery(testApp.db, who))).some((step) => step['Index Name'] === 'order_counts_pkey')).toBe(true)
  })

  it("a page's order lines, and the dashboard's unread notifications", async () => {
    await expectPgPlan(orderLinesQuery(testApp.db, [3, 1, 2]))
    await expectPgPlan(unreadNotificationsQuery(testApp.db, userId))
  })
})
