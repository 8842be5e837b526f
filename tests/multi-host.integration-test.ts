import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { databaseEnv, openDatabase, testDatabaseLocation, testDialect, type Db } from '#shared/db'
import { serversFor, type ServerProcess } from './support/server-process.ts'

/**
 * Three Tessera hosts (127.0.0.2, .3, .4) on one PostgreSQL, as behind a load balancer
 * (`npm run test:pg` only): what one host writes, the others serve, and what must happen once
 * happens once across them.
 */
describe.runIf(testDialect === 'postgres')('three hosts, one PostgreSQL', () => {
  const root = inject('builtRoot')
  const start = serversFor(root)
  let hosts: ServerProcess[]
  let db: Db

  beforeAll(async () => {
    const location = await testDatabaseLocation(root)
    const env = { ...databaseEnv(location), TRUST_PROXY: 'true', ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'admin password' }
    // The first migrates and seeds; the others find it done (they would wait on its lock).
    hosts = [await start({ ...env, HOST: '127.0.0.2' })]
    hosts.push(...(await Promise.all(['127.0.0.3', '127.0.0.4'].map((HOST) => start({ ...env, HOST })))))
    db = openDatabase(location)
  })
  afterAll(() => db?.destroy())

  const shipping = { name: 'Ada Lovelace', line1: '1 Analytical St', city: 'London', postalCode: 'N1 1AA', country: 'GB' }
  const card = { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' }
  let visitors = 0

  /** A shopper signed up on one host; `on(i)` sends their requests to host i (the load balancer's choice). */
  async function shopper() {
    const n = ++visitors
    const headers = (url: string) => ({ Origin: url, 'X-Forwarded-For': `10.6.${n >> 8}.${n & 255}`, 'Content-Type': 'application/json' })
    const first = hosts[n % hosts.length]!.url
    const res = await fetch(`${first}/api/auth/register`, {
      method: 'POST',
      headers: headers(first),
      body: JSON.stringify({ email: `hosts-${n}-${randomUUID()}@example.com`, name: 'Ada', password: 'long enough' }),
    })
    expect(res.status).toBe(201)
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')
    const on = (host: number) => {
      const url = hosts[host % hosts.length]!.url
      return (path: string, body?: unknown, extra: Record<string, string> = {}) =>
        fetch(`${url}${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: { ...headers(url), Cookie: cookie, ...extra },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
    }
    return { on, userId: ((await (await on(0)('/api/auth/me')).json()) as { user: { id: number } }).user.id }
  }

  /** The admin, signed in on host 0: `send(method, path, body)` there. */
  async function admin() {
    const url = hosts[0]!.url
    const headers = { Origin: url, 'X-Forwarded-For': '10.5.0.1', 'Content-Type': 'application/json' }
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: 'admin@example.com', password: 'admin password' }),
    })
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')
    return (method: string, path: string, body: unknown) =>
      fetch(`${url}${path}`, { method, headers: { ...headers, Cookie: cookie }, body: JSON.stringify(body) })
  }

  async function newProduct(stock: number) {
    const res = await (await admin())('POST', '/api/products', {
      name: `Numbat ${randomUUID().slice(0, 8)}`,
      description: '',
      priceCents: 900,
      stock,
      category: 'kitchen',
    })
    expect(res.status).toBe(201)
    return ((await res.json()) as { product: { id: number; slug: string } }).product
  }

  it('shows a price changed on one host on the other hosts’ cached pages within a second', async () => {
    const product = await newProduct(3)
    const page = (host: number) =>
      fetch(`${hosts[host]!.url}/products/${product.slug}`).then(async (res) => ({
        cache: res.headers.get('x-cache'),
        html: (await res.text()).replaceAll('<!-- -->', ''),
      }))
    for (const host of [1, 2]) await expect.poll(async () => (await page(host)).cache, { timeout: 3000, interval: 20 }).toBe('HIT')
    const changed = await (await admin())('PATCH', `/api/products/${product.id}`, { priceCents: 1234 })
    expect(changed.status).toBe(200)
    const at = performance.now()
    for (const host of [1, 2]) await expect.poll(async () => (await page(host)).html, { timeout: 1000, interval: 20 }).toContain('$12.34')
    expect(performance.now() - at).toBeLessThan(1000)
  })

  it('counts a stranger’s failed logins over every host: five, then 429 wherever the sixth goes', async () => {
    const { on } = await shopper()
    const email = ((await (await on(0)('/api/auth/me')).json()) as { user: { email: string } }).user.email
    const statuses = []
    for (let i = 0; i < 6; i++) {
      const url = hosts[i % hosts.length]!.url
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { Origin: url, 'X-Forwarded-For': '10.4.0.9', 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: `guess ${i}` }),
      })
      statuses.push(res.status)
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
  })

  it('serves a session and a cart made on one host from every other', async () => {
    const { on } = await shopper()
    const product = await newProduct(3)
    expect((await on(0)('/api/cart/items', { productId: product.id, quantity: 2 })).status).toBe(201)
    for (const host of [1, 2]) {
      const cart = (await (await on(host)('/api/cart')).json()) as { count: number }
      expect(cart.count).toBe(2)
    }
  })

  it('never oversells: twelve buyers spread over the hosts, five in stock, five orders', async () => {
    const product = await newProduct(5)
    const buyers = await Promise.all(Array.from({ length: 12 }, () => shopper()))
    await Promise.all(buyers.map(({ on }, i) => on(i)('/api/cart/items', { productId: product.id, quantity: 1 })))
    const results = await Promise.all(buyers.map(({ on }, i) => on(i + 1)('/api/orders', { shipping, card }, { 'Idempotency-Key': randomUUID() })))
    expect(results.map((res) => res.status).sort()).toEqual([...Array(5).fill(201), ...Array(7).fill(409)])
    const { stock } = await db.selectFrom('products').select('stock').where('id', '=', product.id).executeTakeFirstOrThrow()
    expect(stock).toBe(0)
    const sold = await db
      .selectFrom('order_lines')
      .innerJoin('orders', 'orders.id', 'order_lines.order_id')
      .select((eb) => eb.fn.sum<number>('quantity').as('sold'))
      .where('product_id', '=', product.id)
      .where('orders.status', '=', 'paid')
      .executeTakeFirstOrThrow()
    expect(sold.sold).toBe(5)
  })

  it('places one order for one Idempotency-Key sent to every host at once, and one for a cart submitted to every host', async () => {
    const product = await newProduct(10)
    const { on, userId } = await shopper()
    await on(0)('/api/cart/items', { productId: product.id, quantity: 1 })
    const key = randomUUID()
    const same = await Promise.all([0, 1, 2, 0, 1, 2].map((host) => on(host)('/api/orders', { shipping, card }, { 'Idempotency-Key': key })))
    const ids = await Promise.all(
      same.map(async (res) => (res.status === 201 || res.status === 200 ? ((await res.json()) as { order: { id: number } }).order.id : res.status)),
    )
    expect(new Set(ids).size).toBe(1)
    expect(typeof ids[0]).toBe('number')

    await on(1)('/api/cart/items', { productId: product.id, quantity: 1 })
    const tabs = await Promise.all([0, 1, 2].map((host) => on(host)('/api/orders', { shipping, card }, { 'Idempotency-Key': randomUUID() })))
    expect(tabs.map((res) => res.status).sort()).toEqual([201, 400, 400])
    const orders = await db.selectFrom('orders').select('id').where('user_id', '=', userId).execute()
    expect(orders).toHaveLength(2)
  })
})
