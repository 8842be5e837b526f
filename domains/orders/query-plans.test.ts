import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planOf, planProblems } from '../../tests/support/query-plan.ts'
import { createTestApp } from '../../tests/support/test-app.ts'
import { unreadNotificationsQuery } from './dashboard.server.ts'
import { orderCountsQuery } from './order-counts.server.ts'
import { orderLinesQuery, ordersPageQuery } from './orders.server.ts'
import { seedOrders } from './seed-orders.server.ts'

/*
 * /orders, /admin/orders and /dashboard, read from SQLite's plan of the SQL the app runs: none
 * may read every order, or sort them, to show a page. What no index removes today is a KNOWN
 * COST, named, with its reason, for the next slice of #14 to remove (it fails once it no longer shows).
 */

let testApp: Awaited<ReturnType<typeof createTestApp>>
let userId: number
beforeAll(async () => {
  testApp = await createTestApp()
  userId = (await testApp.db.insertInto('users').values({ email: 'plans@example.com', name: 'P', password_hash: 'x', created_at: 0, updated_at: 0 }).returning('id').executeTakeFirstOrThrow()).id
  await seedOrders(testApp.db, { count: 3000 })
})
afterAll(() => testApp.close())

async function expectPlan(query: Parameters<typeof planOf>[1], { walkable = false, costs = [] as { problems: string[] }[] } = {}) {
  const plan = await planOf(testApp.db, query)
  expect(planProblems(plan, { walkable }), `plan:\n  ${plan.join('\n  ')}`).toEqual(costs.flatMap((cost) => cost.problems))
  return plan
}

describe('order listings read their page off an index', () => {
  it("everyone's orders, newest first (/admin/orders): walking created_at backwards", async () => {
    await expectPlan(ordersPageQuery(testApp.db, null, 20, 40), { walkable: true })
  })

  it("a shopper's orders, newest first (/orders, the dashboard's recent five)", async () => {
    await expectPlan(ordersPageQuery(testApp.db, userId, 20, 40))
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

  it('known cost, not in a plan: a deep page reads and skips every order before it (OFFSET). Next: keyset pagination', () => {
    expect(ordersPageQuery(testApp.db, null, 20, 40).compile().sql).toMatch(/ offset \?$/)
  })
})
