import { afterAll, describe, expect, it } from 'vitest'
import { UsageError } from '#shared/domain'
import { createTestApp } from '../../tests/support/test-app.ts'
import { parseSeedOrdersArgs, seedOrders, seedOrdersCommand } from './seed-orders.server.ts'

const apps: Awaited<ReturnType<typeof createTestApp>>[] = []
afterAll(() => Promise.all(apps.map((app) => app.close())))
/** The whole app on a fresh database: 1,000 products seeded at start, and these users. */
async function appWithUsers(emails: string[]) {
  const app = await createTestApp()
  apps.push(app)
  for (const email of emails) await app.db.insertInto('users').values({ email, name: email, password_hash: 'x', created_at: 0, updated_at: 0 }).execute()
  return app.db
}
const everything = async (db: Awaited<ReturnType<typeof appWithUsers>>) => ({
  orders: await db.selectFrom('orders').selectAll().orderBy('id').execute(),
  lines: await db.selectFrom('order_lines').selectAll().orderBy('order_id').orderBy('product_id').execute(),
})

describe('seedOrders', () => {
  it('adds N orders, the same on equal databases, spread over the users, with valid lines and mixed statuses', async () => {
    const emails = ['a@example.com', 'b@example.com', 'c@example.com']
    const [first, second] = [await appWithUsers(emails), await appWithUsers(emails)]
    expect(await seedOrders(first, { count: 2000 })).toBe(2000)
    await seedOrders(second, { count: 2000 })
    const { orders, lines } = await everything(first)
    expect(await everything(second)).toEqual({ orders, lines })
    expect(orders).toHaveLength(2000)

    const users = new Set(orders.map((order) => order.user_id))
    expect(users.size).toBe(3)
    const statuses = new Map<string, number>()
    for (const order of orders) statuses.set(order.status, (statuses.get(order.status) ?? 0) + 1)
    expect([...statuses.keys()].sort()).toEqual(['cancelled', 'fulfilled', 'paid']) // never pending: no job would ever settle it

    // Each line is a real product at its price, and the order's total is the sum of its lines.
    const products = new Map((await first.selectFrom('products').select(['id', 'name', 'price_cents']).execute()).map((p) => [p.id, p]))
    for (const line of lines) expect(products.get(line.product_id)).toMatchObject({ name: line.name, price_cents: line.price_cents })
    for (const order of orders) {
      const own = lines.filter((line) => line.order_id === order.id)
      expect(own.length).toBeGreaterThanOrEqual(1)
      expect(order.total_cents).toBe(own.reduce((sum, line) => sum + line.quantity * line.price_cents, 0))
    }
  })

  it('gives every order to --user, after the orders there were, and never reuses an id an undone order had', async () => {
    const db = await appWithUsers(['a@example.com', 'shopper@example.com'])
    await seedOrders(db, { count: 100 })
    await db.deleteFrom('orders').where('id', '=', 100).execute() // as an expired pending order is deleted
    await seedOrders(db, { count: 50, user: ' Shopper@Example.com ' })
    const { id: shopper } = await db.selectFrom('users').select('id').where('email', '=', 'shopper@example.com').executeTakeFirstOrThrow()
    const added = await db.selectFrom('orders').select(['id', 'user_id']).where('id', '>', 99).orderBy('id').execute()
    expect(added.map((order) => order.id)).toEqual(Array.from({ length: 50 }, (_, i) => 101 + i))
    expect(added.every((order) => order.user_id === shopper)).toBe(true)
    // The database's own numbering (a checkout's order) goes on after the seeded ids, on PostgreSQL's identity too.
    const placed = await db
      .insertInto('orders')
      .values({ user_id: shopper, status: 'paid', total_cents: 1, currency: 'USD', shipping: '{}', created_at: 0, updated_at: 0 })
      .returning('id')
      .executeTakeFirstOrThrow()
    expect(placed.id).toBe(151)
  })

  it.each([
    ['no such user', ['a@example.com'], { count: 10, user: 'nobody@example.com' }, 'seed-orders: no user has the email "nobody@example.com".'],
    ['no user at all', [], { count: 10 }, 'seed-orders: there are no users; register one, or run create-admin, first.'],
  ])('%s: a UsageError (exit 2), nothing written', async (_, emails, options, message) => {
    const db = await appWithUsers(emails)
    await expect(seedOrders(db, options)).rejects.toThrow(new UsageError(message))
    expect(await everything(db)).toEqual({ orders: [], lines: [] })
  })

  it('an empty catalogue: a UsageError, nothing written', async () => {
    const db = await appWithUsers(['a@example.com'])
    await db.deleteFrom('products').execute()
    await expect(seedOrders(db, { count: 10 })).rejects.toThrow(new UsageError('seed-orders: the catalogue is empty; run seed first.'))
    expect(await everything(db)).toEqual({ orders: [], lines: [] })
  })
})

describe('the seed-orders command', () => {
  it('reads --count N and --user email', () => {
    expect(parseSeedOrdersArgs(['--count', '1000000'])).toEqual({ count: 1_000_000 })
    expect(parseSeedOrdersArgs(['--count=10', '--user', 'a@example.com'])).toEqual({ count: 10, user: 'a@example.com' })
  })

  it.each(
    [[], ['--count', 'x'], ['--count', '-1'], ['--count', '5', '--user'], ['--count', '5', '--users', 'a'], ['--count', '5', 'extra']].map(
      (args) => [args.join(' '), args] as const,
    ),
  )('refuses "%s" before the database is opened (check), exit 2', (_, args) => {
    expect(() => seedOrdersCommand.check!(args)).toThrow(UsageError)
  })
})
