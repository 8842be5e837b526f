import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { databaseEnv, openDatabase, testDatabaseLocation, type Db } from '#shared/db'
import { startBuiltServer, type ServerProcess } from './support/server-process.ts'
import { logIn, signUp } from './support/sessions.ts'

/** Money over HTTP against the built server: one charge per cart, honest idempotency, fresh stock on cached pages. */
const root = inject('builtRoot')
let db: Db // the server's database (SQLite or PostgreSQL), read as the tests' witness
let server: ServerProcess
let url: string
let shoppers = 0

beforeAll(async () => {
  // No timed poll during the tests: a page is fresh right after a change only if the request that
  // made it applied the invalidations before answering.
  const env = { PAGE_CACHE_SYNC_MS: '600000', TRUST_PROXY: 'true', ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'admin password' }
  const location = await testDatabaseLocation(root)
  server = await startBuiltServer(root, { ...env, ...databaseEnv(location) })
  url = server.url
  db = openDatabase(location)
})
afterAll(async () => {
  await server?.stop('SIGKILL')
  await db?.destroy()
})

const shipping = { name: 'Ada Lovelace', line1: '1 Analytical St', city: 'London', postalCode: 'N1 1AA', country: 'GB' }
const card = { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' }
const form = (idempotencyKey: string, more: Record<string, string> = {}) =>
  new URLSearchParams({ idempotencyKey, ...shipping, cardNumber: card.number, cardExpMonth: '12', cardExpYear: '2099', cardCvc: '123', ...more })

/** A signed-in shopper from an address of their own (rate limits are per address). */
async function shopper() {
  const n = ++shoppers
  const headers = { Origin: url, 'X-Forwarded-For': `10.9.${n >> 8}.${n & 255}` }
  const cookie = await signUp(url, { email: `money-${n}-${randomUUID()}@example.com`, name: 'Ada', password: 'long enough' }, { headers })
  const json = (path: string, body?: unknown, extra: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...headers, Cookie: cookie, 'Content-Type': 'application/json', ...extra },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  const post = (path: string, fields: URLSearchParams) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...headers, Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: fields,
    })
  const { user } = await (await json('/api/auth/me')).json()
  return { json, post, userId: user.id as number }
}

/** The admin makes a product of its own for each test: a unique name to search for, a known stock. */
let adminCookie: string | undefined
async function newProduct(stock: number) {
  const headers = { Origin: url, 'X-Forwarded-For': '10.8.0.1', 'Content-Type': 'application/json' }
  if (!adminCookie) {
    adminCookie = await logIn(url, { email: 'admin@example.com', password: 'admin password' }, { headers })
  }
  const cookie = adminCookie
  const name = `Quokka ${randomUUID().slice(0, 8)}`
  const res = await fetch(`${url}/api/products`, {
    method: 'POST',
    headers: { ...headers, Cookie: cookie },
    body: JSON.stringify({ name, description: '', priceCents: 1250, stock, category: 'kitchen' }),
  })
  expect(res.status).toBe(201)
  return (await res.json()).product as { id: number; slug: string; name: string }
}

/** What the orders table holds for a user: every paid order carries the charge that paid it. */
function ordersOf(userId: number) {
  return db.selectFrom('orders').select(['id', 'status', 'payment_ref as paymentRef']).where('user_id', '=', userId).execute()
}

const stockOf = async (id: number) => (await (await fetch(`${url}/api/products/${id}`)).json()).stock as number

describe('one cart, one charge', () => {
  it('10 parallel POST /api/orders from a one-item cart: one order and one charge, nine 400 empty_cart', async () => {
    const product = await newProduct(5)
    const { json, userId } = await shopper()
    expect((await json('/api/cart/items', { productId: product.id, quantity: 1 })).status).toBe(201)

    // Ten tabs: each its own Idempotency-Key.
    const results = await Promise.all(Array.from({ length: 10 }, () => json('/api/orders', { shipping, card }, { 'Idempotency-Key': randomUUID() })))
    const statuses = results.map((res) => res.status).sort()
    expect(statuses).toEqual([201, ...Array(9).fill(400)])
    for (const res of results.filter((r) => r.status === 400)) expect((await res.json()).error.code).toBe('empty_cart')
    const orders = await ordersOf(userId)
    expect(orders).toEqual([{ id: expect.any(Number), status: 'paid', paymentRef: expect.stringMatching(/^fake_/) }])
    expect(await stockOf(product.id)).toBe(4)
  })

  it('10 parallel checkout form posts from a one-item cart: one order, nine pages saying the cart is empty', async () => {
    const product = await newProduct(5)
    const { json, post, userId } = await shopper()
    await json('/api/cart/items', { productId: product.id, quantity: 1 })

    const results = await Promise.all(Array.from({ length: 10 }, () => post('/checkout', form(randomUUID()))))
    const placed = results.filter((res) => res.status === 303)
    expect(placed).toHaveLength(1)
    expect(placed[0]!.headers.get('location')).toMatch(/^\/orders\/\d+\?placed$/)
    const refused = results.filter((res) => res.status === 400)
    expect(refused).toHaveLength(9)
    expect(await refused[0]!.text()).toContain('Your cart is empty now, so nothing was ordered. If you placed it in another tab, the order is in your orders')
    expect(await ordersOf(userId)).toHaveLength(1)
    expect(await stockOf(product.id)).toBe(4)
  })

  it('a double click (the same page, its key sent 10 times at once) gets the one order every time', async () => {
    const product = await newProduct(5)
    const { json, post, userId } = await shopper()
    await json('/api/cart/items', { productId: product.id, quantity: 1 })

    const key = randomUUID()
    const results = await Promise.all(Array.from({ length: 10 }, () => post('/checkout', form(key))))
    const [order] = await ordersOf(userId)
    expect(await ordersOf(userId)).toHaveLength(1)
    expect(results.map((res) => [res.status, res.headers.get('location')])).toEqual(Array(10).fill([303, `/orders/${order!.id}?placed`]))
    expect(await stockOf(product.id)).toBe(4)
  })

  it('a declined card gives the cart back: no order, no stock taken, and the next card pays', async () => {
    const product = await newProduct(5)
    const { json, post, userId } = await shopper()
    await json('/api/cart/items', { productId: product.id, quantity: 2 })

    const declined = await post('/checkout', form(randomUUID(), { cardNumber: '4000 0000 0000 0002' }))
    expect(declined.status).toBe(422)
    expect(await declined.text()).toContain('Your card was declined.')
    expect(await ordersOf(userId)).toEqual([])
    expect((await (await json('/api/cart')).json()).count).toBe(2)
    expect(await stockOf(product.id)).toBe(5)

    expect((await post('/checkout', form(randomUUID()))).status).toBe(303)
    expect(await stockOf(product.id)).toBe(3)
  })
})

describe('an Idempotency-Key is for one request', () => {
  it('replays the same request, refuses another with 422 idempotency_key_reused, and orders nothing for it', async () => {
    const product = await newProduct(10)
    const other = await newProduct(10)
    const { json, userId } = await shopper()
    await json('/api/cart/items', { productId: product.id, quantity: 1 })
    const key = { 'Idempotency-Key': randomUUID() }
    const first = await json('/api/orders', { shipping, card }, key)
    expect(first.status).toBe(201)
    const { order } = await first.json()

    const retry = await json('/api/orders', { shipping, card }, key)
    expect([retry.status, retry.headers.get('idempotent-replayed'), (await retry.json()).order.id]).toEqual([201, 'true', order.id])

    for (const body of [
      { shipping: { ...shipping, line1: '2 Other Road' }, card },
      { shipping, card: { ...card, number: '5555 5555 5555 4444' } },
    ]) {
      const reused = await json('/api/orders', body, key)
      expect(reused.status).toBe(422)
      expect(reused.headers.get('idempotent-replayed')).toBeNull()
      expect((await reused.json()).error.code).toBe('idempotency_key_reused')
    }
    // Other cart contents under the same key: refused too, and the cart is left to order.
    await json('/api/cart/items', { productId: other.id, quantity: 1 })
    const otherCart = await json('/api/orders', { shipping, card }, key)
    expect([otherCart.status, (await otherCart.json()).error.code]).toEqual([422, 'idempotency_key_reused'])
    expect(await ordersOf(userId)).toHaveLength(1)
    expect((await (await json('/api/cart')).json()).count).toBe(1)
    expect(await stockOf(other.id)).toBe(10)
  })

  it('the checkout form shows the error when its page is sent again for another cart', async () => {
    const product = await newProduct(10)
    const other = await newProduct(10)
    const { json, post, userId } = await shopper()
    await json('/api/cart/items', { productId: product.id, quantity: 1 })
    const key = randomUUID()
    expect((await post('/checkout', form(key))).status).toBe(303)
    await json('/api/cart/items', { productId: other.id, quantity: 1 })

    const again = await post('/checkout', form(key))
    expect(again.status).toBe(422)
    expect(await again.text()).toContain('This checkout page already placed an order.')
    expect(await ordersOf(userId)).toHaveLength(1)
  })
})

describe('cached pages show the stock as it is', () => {
  /** An anonymous visitor's view: how the cache answered, and the page's text (React's `<!-- -->` between text parts dropped). */
  const anonymous = async (path: string) => {
    const res = await fetch(`${url}${path}`)
    return { cache: res.headers.get('x-cache'), html: (await res.text()).replaceAll('<!-- -->', '') }
  }
  /** Asks for a page until the cache serves it (a render that overlapped an invalidation is not stored), then its text. */
  async function cachedHit(path: string): Promise<string> {
    await expect.poll(async () => (await anonymous(path)).cache, { timeout: 3000, interval: 20 }).toBe('HIT')
    return (await anonymous(path)).html
  }

  it('after a checkout and after a cancel: the product page and the listing showing it, not the other listings', async () => {
    const product = await newProduct(2)
    const bystander = await newProduct(2)
    const [page, listing, elsewhere] = [
      `/products/${product.slug}`,
      `/products?q=${encodeURIComponent(product.name)}`,
      `/products?q=${encodeURIComponent(bystander.name)}`,
    ]
    expect(await cachedHit(page)).toContain('Only 2 left')
    expect(await cachedHit(listing)).toContain('Only 2 left')
    await cachedHit(elsewhere)

    const { json } = await shopper()
    await json('/api/cart/items', { productId: product.id, quantity: 1 })
    const placed = await json('/api/orders', { shipping, card })
    expect(placed.status).toBe(201)
    const { order } = await placed.json()

    expect((await anonymous(page)).html).toContain('Only 1 left')
    expect((await anonymous(listing)).html).toContain('Only 1 left')
    expect((await anonymous(elsewhere)).cache).toBe('HIT') // a sale drops only the pages that show the product
    expect(await cachedHit(page)).toContain('Only 1 left')
    await cachedHit(listing)

    expect((await json(`/api/orders/${order.id}/cancel`, {})).status).toBe(200)
    expect((await anonymous(page)).html).toContain('Only 2 left')
    expect((await anonymous(listing)).html).toContain('Only 2 left')
  })

  it('after a checkout by form that sells the last one, and its cancel by form: sold out, then back', async () => {
    const product = await newProduct(1)
    const page = `/products/${product.slug}`
    expect(await cachedHit(page)).toContain('Only 1 left')
    const { json, post } = await shopper()
    await json('/api/cart/items', { productId: product.id, quantity: 1 })
    const placed = await post('/checkout', form(randomUUID()))
    expect(placed.status).toBe(303)
    expect((await anonymous(page)).html).toContain('Sold out')
    await cachedHit(page)

    const orderPath = placed.headers.get('location')!.replace('?placed', '')
    expect((await post(orderPath, new URLSearchParams({ intent: 'cancel' }))).status).toBe(422) // not confirmed: nothing done
    expect((await post(orderPath, new URLSearchParams({ intent: 'cancel', confirm: 'on' }))).status).toBe(303)
    expect((await anonymous(page)).html).toContain('Only 1 left')
  })
})
