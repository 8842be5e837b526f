import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openDatabase, testDialect, type Db } from '#shared/db'
import { startPostgres, type PostgresServer } from './support/postgres-server.ts'
import { startBuiltServer, type ServerProcess } from './support/server-process.ts'
import { logIn, signUp } from './support/sessions.ts'

/**
 * PostgreSQL stopped and started again under a running server (`npm run test:pg` only; it starts
 * a PostgreSQL of its own to stop): 503s while it is down, recovery without a restart, and no
 * order the server acknowledged is lost.
 */
describe.runIf(testDialect === 'postgres')('the database goes away and comes back', () => {
  const root = inject('builtRoot')
  let postgres: PostgresServer
  let server: ServerProcess
  let db: Db
  let url: string

  beforeAll(async () => {
    postgres = await startPostgres()
    server = await startBuiltServer(root, {
      DATABASE_URL: postgres.url,
      TRUST_PROXY: 'true',
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD: 'admin password',
      PAGE_CACHE_MAX_BYTES: '0',
    })
    url = server.url
    db = openDatabase(postgres.url)
  })
  afterAll(async () => {
    await server?.stop('SIGKILL')
    await db?.destroy()
    await postgres?.stop()
  })

  const shipping = { name: 'Ada Lovelace', line1: '1 Analytical St', city: 'London', postalCode: 'N1 1AA', country: 'GB' }
  const card = { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' }

  async function shopper(n: number) {
    const headers = { Origin: url, 'X-Forwarded-For': `10.7.0.${n}`, 'Content-Type': 'application/json' }
    const cookie = await signUp(url, { email: `outage-${n}-${randomUUID()}@example.com`, name: 'Ada', password: 'long enough' }, { headers })
    return (path: string, body: unknown, extra: Record<string, string> = {}) =>
      fetch(`${url}${path}`, { method: 'POST', headers: { ...headers, Cookie: cookie, ...extra }, body: JSON.stringify(body) })
  }

  /** A product no amount of checkouts sells out (a sold-out product would stop the orders, not the outage). */
  async function plentifulProduct(): Promise<number> {
    const headers = { Origin: url, 'X-Forwarded-For': '10.7.1.1', 'Content-Type': 'application/json' }
    const cookie = await logIn(url, { email: 'admin@example.com', password: 'admin password' }, { headers })
    const res = await fetch(`${url}/api/products`, {
      method: 'POST',
      headers: { ...headers, Cookie: cookie },
      body: JSON.stringify({ name: 'Outage Kettle', description: '', priceCents: 1500, stock: 1_000_000, category: 'kitchen' }),
    })
    expect(res.status).toBe(201)
    return ((await res.json()) as { product: { id: number } }).product.id
  }

  it('answers 503 (JSON, page, /readyz) while it is down, recovers by itself, and keeps every acknowledged order', { timeout: 60_000 }, async () => {
    const productId = await plentifulProduct()
    const shoppers = await Promise.all([1, 2, 3, 4].map(shopper))
    const acknowledged: number[] = []
    const failures = new Map<number, number>()
    let running = true
    // Each shopper fills their cart and checks out, again and again, through the outage.
    const load = shoppers.map(async (post) => {
      while (running) {
        const added = await post('/api/cart/items', { productId, quantity: 1 }).catch(() => undefined)
        if (added?.status !== 201 && added?.status !== 200) {
          if (added) failures.set(added.status, (failures.get(added.status) ?? 0) + 1)
          await new Promise((resolve) => setTimeout(resolve, 50))
          continue
        }
        const res = await post('/api/orders', { shipping, card }, { 'Idempotency-Key': randomUUID() }).catch(() => undefined)
        if (res?.status === 201) acknowledged.push(((await res.json()) as { order: { id: number } }).order.id)
        else if (res) failures.set(res.status, (failures.get(res.status) ?? 0) + 1)
      }
    })
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const before = acknowledged.length
    expect(before).toBeGreaterThan(0)

    await postgres.pause()
    const ready = await fetch(`${url}/readyz`)
    expect(ready.status).toBe(503)
    const api = await fetch(`${url}/api/products`)
    expect(api.status).toBe(503)
    expect(api.headers.get('retry-after')).toBe('5')
    expect((await api.json()).error.code).toBe('database_unavailable')
    const page = await fetch(`${url}/products`)
    expect(page.status).toBe(503)
    expect(page.headers.get('content-type')).toMatch(/text\/html/)
    expect(await page.text()).toContain('Something went wrong')
    await new Promise((resolve) => setTimeout(resolve, 1500))

    await postgres.resume()
    // No restart: the pool opens new connections by itself.
    await expect.poll(async () => (await fetch(`${url}/readyz`)).status, { timeout: 10_000, interval: 200 }).toBe(200)
    await expect.poll(() => acknowledged.length, { timeout: 10_000, interval: 200 }).toBeGreaterThan(before + 4)
    running = false
    await Promise.all(load)

    expect(failures.get(500)).toBeUndefined() // an outage is a 503, never a 500
    expect(failures.get(503)).toBeGreaterThan(0)
    const kept = await db.selectFrom('orders').select(['id', 'status']).where('id', 'in', acknowledged).execute()
    expect(kept).toHaveLength(acknowledged.length)
    expect(kept.every((order) => order.status === 'paid')).toBe(true)
    expect(server.output()).not.toMatch(/"level":"fatal"/)
  })

  it('answers 503 to writes and at /readyz while the server is read-only (a standby after a failover), and serves again after', async () => {
    const setReadOnly = async (on: boolean) => {
      await sql`alter system set default_transaction_read_only = ${sql.lit(on ? 'on' : 'off')}`.execute(db)
      await sql`select pg_reload_conf()`.execute(db)
    }
    await setReadOnly(true)
    try {
      await expect.poll(async () => (await fetch(`${url}/readyz`)).status, { timeout: 10_000, interval: 200 }).toBe(503)
      const post = await shopper(90).catch((err: Error) => err)
      expect(post).toBeInstanceOf(Error) // signing up is a write
      const res = await fetch(`${url}/api/auth/register`, {
        method: 'POST',
        headers: { Origin: url, 'X-Forwarded-For': '10.7.2.1', 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: `read-only-${randomUUID()}@example.com`, name: 'Ada', password: 'long enough' }),
      })
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('5')
      expect((await res.json()).error.code).toBe('database_unavailable')
      expect((await fetch(`${url}/api/products`)).status).toBe(200) // reads still answer
    } finally {
      await setReadOnly(false)
    }
    await expect.poll(async () => (await fetch(`${url}/readyz`)).status, { timeout: 10_000, interval: 200 }).toBe(200)
    expect(typeof (await shopper(91))).toBe('function')
  })
})
