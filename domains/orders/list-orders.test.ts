import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '#shared/db'
import { createTestApp } from '../../tests/support/test-app.ts'
import { listOrders } from './orders.server.ts'
import { orderPageSchema } from './schemas.ts'
import { seedOrders } from './seed-orders.server.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>
let db: Db
let shopper: number
beforeAll(async () => {
  testApp = await createTestApp()
  db = testApp.db
  for (const email of ['a@example.com', 'b@example.com'])
    await db.insertInto('users').values({ email, name: email, password_hash: 'x', created_at: 0, updated_at: 0 }).execute()
  await seedOrders(db, { count: 300 })
  shopper = (await db.selectFrom('users').select('id').where('email', '=', 'a@example.com').executeTakeFirstOrThrow()).id
})
afterAll(() => testApp.close())

/** Every order of the listing, newest first, as count(*)-free SQL would list them. */
const truth = async (userId: number | null) =>
  (
    await (userId === null ? db.selectFrom('orders') : db.selectFrom('orders').where('user_id', '=', userId))
      .select('id')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute()
  ).map((row) => row.id)

describe('orders by position (keyset pages)', () => {
  it.each([
    ['everyone’s', null],
    ['a shopper’s', 'shopper'],
  ] as const)('%s: Next from the first page and Previous from the last visit every order once, newest first', async (_, who) => {
    const userId = who === null ? null : shopper
    const all = await truth(userId)
    expect(all.length).toBeGreaterThan(60)
    const forward: number[] = []
    let page = await listOrders(db, userId, { page: 1 }, 20)
    expect(page.total).toBe(all.length)
    for (;;) {
      orderPageSchema.parse(page)
      forward.push(...page.items.map((order) => order.id))
      if (!page.links.next) break
      page = await listOrders(db, userId, { ...page.links.next }, 20)
    }
    expect(forward).toEqual(all)
    const backward: number[][] = []
    page = await listOrders(db, userId, { page: 'last' }, 20)
    expect(page.items.map((order) => order.id)).toEqual(all.slice(-20))
    for (;;) {
      backward.unshift(page.items.map((order) => order.id))
      if (!page.links.previous) break
      page = await listOrders(db, userId, { ...page.links.previous }, 20)
    }
    expect(backward[0]).toEqual(all.slice(0, 20))
    expect([...new Set(backward.flat())]).toEqual(all)
  })

  it('refuses a made-up position and page numbers past 20 (400), and the API answers the page in its schema', async () => {
    await expect(listOrders(db, null, { after: 'soon_3' })).rejects.toMatchObject({ status: 400 })
    await expect(listOrders(db, null, { page: 21 })).rejects.toMatchObject({ status: 400 })
    expect((await listOrders(db, null, { page: 20 })).page).toBe(20)
  })
})
