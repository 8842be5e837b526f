import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDialect, type Seek } from '#shared/db'
import { planOf, planProblems } from '../../tests/support/query-plan.ts'
import { createTestApp } from '../../tests/support/test-app.ts'
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
  await seedOrders(testApp.db, { count: 3000 })
})
afterAll(() => testApp.close())

async function expectPlan(query: Parameters<typeof planOf>[1], { walkable = false, costs = [] as { problems: string[] }[] } = {}) {
  const plan = await planOf(testApp.db, query)
  expect(planProblems(plan, { walkable }), `plan:\n  ${plan.join('\n  ')}`).toEqual(costs.flatMap((cost) => cost.problems))
  return plan
}

// SQLite's own plan (EXPLAIN QUERY PLAN), which PostgreSQL does not have. Its twin (as
// domains/products/query-plans.test.ts has, with tests/support/postgres-query-plan.ts) is not
// written yet: on PostgreSQL these listings are checked for results, not for plans.
describe.skipIf(testDialect !== 'sqlite')('order listings read their page off an index', () => {
  const seeks: Seek[] = ['offset', 'after', 'before', 'last']
  const p = { limit: 21, offset: 40, key: Date.UTC(2025, 11, 31), id: 1500 }

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
