import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../tests/support/test-app.ts'
import { MAX_LINES, visitorCartIds } from './cart.server.ts'
import { hashCartToken } from './cart-cookie.server.ts'
import { CookieJar } from './test-cookie-jar.ts'

/*
 * A cart holds at most MAX_LINES different products. Carts merged (a visitor's into the account at
 * sign-in, or a browser's carts made at once into the oldest) could add up to more. The limit
 * holds after every merge; the products that do not fit are set aside, never dropped: kept for
 * the shopper (a visitor's: in that cart of this browser; at sign-in: for the account, the cookie
 * cleared, so none of it passes to someone else signing in later on this browser), said on the
 * cart page and in the API (`setAside`), and brought in as lines are removed or the cart ordered.
 */

let testApp: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  testApp = await createTestApp()
})
afterAll(() => testApp.close())

async function request(path: string, jar: CookieJar, init: { method?: string; json?: unknown } = {}) {
  const res = await testApp.app.request(`http://localhost${path}`, {
    method: init.method ?? (init.json ? 'POST' : 'GET'),
    body: init.json ? JSON.stringify(init.json) : undefined,
    headers: {
      Origin: 'http://localhost',
      ...(init.json !== undefined && { 'Content-Type': 'application/json' }),
      ...(jar.cookies.size > 0 && { Cookie: jar.header }),
    },
  })
  jar.take(res)
  return res
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

type CartRow = { user_id: number | null; set_aside_for?: number; token_hash: string | null; created_at: number; updated_at: number }

/** A cart (`row`: whose it is, when made and written) holding one of each of `products`: its id. */
async function cartHolding(row: CartRow, products: number[]): Promise<number> {
  const { id } = await testApp.db.insertInto('carts').values(row).returning('id').executeTakeFirstOrThrow()
  await testApp.db
    .insertInto('cart_items')
    .values(products.map((product_id) => ({ cart_id: id, product_id, quantity: 1 })))
    .execute()
  return id
}

/** A visitor cart holding one of each of `products`, its cookie put in `jar` under `name`. */
async function visitorCartIn(jar: CookieJar, name: string, products: number[], madeAt: number) {
  const token = `token-${name}-${Math.random()}`
  await cartHolding({ user_id: null, token_hash: hashCartToken(token), created_at: madeAt, updated_at: madeAt }, products)
  jar.cookies.set(name, token)
}

type CartBody = { items: { productId: number }[]; setAside?: number }
const cartOf = async (jar: CookieJar) => (await (await request('/api/cart', jar)).json()) as CartBody
const products = (cart: CartBody) => cart.items.map((item) => item.productId).sort((a, b) => a - b)

describe('carts merged past the limit', () => {
  it(`a browser's carts made at once: the oldest takes up to ${MAX_LINES}, the rest wait in theirs, said, and come in as room is made`, async () => {
    const jar = new CookieJar()
    const now = Date.now()
    await visitorCartIn(jar, 'tessera_cart_aaaaaaaaaaaa', range(1, 70), now - 2000)
    await visitorCartIn(jar, 'tessera_cart_bbbbbbbbbbbb', range(61, 120), now - 1000) // 61…70 in both
    const cart = await cartOf(jar)
    expect(products(cart)).toEqual(range(1, 100))
    expect(cart.setAside).toBe(20)
    expect(jar.cartCookies).toHaveLength(2) // the cart that holds 101…120 keeps its cookie
    const page = await (await request('/cart', jar)).text()
    expect(page).toContain(`20 more products did not fit: a cart holds ${MAX_LINES} different products at most.`)

    for (const productId of range(1, 5)) expect((await request(`/api/cart/items/${productId}`, jar, { method: 'DELETE' })).status).toBe(200)
    const after = await cartOf(jar)
    expect(products(after)).toEqual(range(6, 105))
    expect(after.setAside).toBe(15)
  })

  it(`at sign-in: the account's cart takes up to ${MAX_LINES}, the rest is set aside for the account (not the browser), said, and comes in after the order`, async () => {
    const jar = new CookieJar()
    const email = `full-${Date.now()}@example.com`
    expect((await request('/api/auth/register', jar, { json: { email, name: 'Full', password: 'a long password' } })).status).toBe(201)
    const { id: userId } = await testApp.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()
    const { id: accountCart } = await testApp.db
      .insertInto('carts')
      .values({ user_id: userId, token_hash: null, created_at: Date.now(), updated_at: Date.now() })
      .returning('id')
      .executeTakeFirstOrThrow()
    await testApp.db
      .insertInto('cart_items')
      .values(range(1, 90).map((product_id) => ({ cart_id: accountCart, product_id, quantity: 1 })))
      .execute()
    // What this browser's visitor cart held from before signing in.
    await visitorCartIn(jar, 'tessera_cart_cccccccccccc', range(81, 110), Date.now())

    const cart = await cartOf(jar)
    expect(products(cart)).toEqual(range(1, 100))
    expect(cart.setAside).toBe(10)
    expect(jar.cartCookies).toEqual([]) // nothing of it stays with the browser
    // Signed out, this browser holds no cart: the products set aside are the account's.
    expect((await request('/api/auth/logout', jar, { json: {} })).status).toBeLessThan(300)
    expect(await cartOf(jar)).toMatchObject({ items: [] })
    expect((await request('/api/auth/login', jar, { json: { email, password: 'a long password' } })).status).toBe(200)
    expect((await cartOf(jar)).setAside).toBe(10)

    await testApp.db.deleteFrom('cart_items').where('cart_id', '=', accountCart).execute() // as an order does
    const after = await cartOf(jar)
    expect(products(after)).toEqual(range(101, 110))
    expect(after.setAside).toBe(0)
  })
})

describe('more cart cookies than one request merges (8 carts)', () => {
  it.each(['visitor', 'signed in'] as const)('%s: the carts past the 8th join at the next request, nothing lost, one cookie left', async (who) => {
    const jar = new CookieJar()
    if (who === 'signed in') {
      const json = { email: `many-${Date.now()}@example.com`, name: 'Many', password: 'a long password' }
      expect((await request('/api/auth/register', jar, { json })).status).toBe(201)
    }
    const now = Date.now()
    for (const i of range(1, 12)) await visitorCartIn(jar, `tessera_cart_${String(i).padStart(12, '0')}`, [i], now - 20_000 + i)
    const seen: number[][] = []
    for (let i = 0; i < 4; i++) seen.push(products(await cartOf(jar)))
    // The first answer holds the 8 read (a browser holds more only when sent them on purpose); the next, all.
    expect(seen.map((cart) => cart.length)).toEqual([8, 12, 12, 12])
    expect(seen.at(-1)).toEqual(range(1, 12))
    expect(jar.cartCookies).toHaveLength(who === 'visitor' ? 1 : 0)
  })

  it.each(['visitor', 'signed in'] as const)(
    '%s: cookies of carts gone (purged, or merged by an answer the browser never got) do not hide a live one',
    async (who) => {
      const jar = new CookieJar()
      if (who === 'signed in') {
        const json = { email: `stale-${Date.now()}@example.com`, name: 'Stale', password: 'a long password' }
        expect((await request('/api/auth/register', jar, { json })).status).toBe(201)
      }
      for (const i of range(1, 20)) jar.cookies.set(`tessera_cart_${String(i).padStart(12, '0')}`, `gone-${i}`)
      await visitorCartIn(jar, 'tessera_cart_ffffffffffff', [7], Date.now())
      expect(products(await cartOf(jar))).toEqual([7])
      expect(jar.cartCookies).toEqual(who === 'visitor' ? ['tessera_cart_ffffffffffff'] : [])
    },
  )
})

describe('a full cart with products waiting is read, not written, at each request', () => {
  /** When each cart was last written: a merge's claim of its two carts sets it. */
  const writtenAt = async (...cartIds: number[]) =>
    (await testApp.db.selectFrom('carts').select('updated_at').where('id', 'in', cartIds).orderBy('id').execute()).map((row) => row.updated_at)
  /** Last written at 1, so that any write since shows. */
  const cartWithLines = (owner: Pick<CartRow, 'user_id' | 'set_aside_for'>, products: number[]) =>
    cartHolding({ ...owner, token_hash: null, created_at: Date.now(), updated_at: 1 }, products)

  it('signed in: the products set aside for the account wait without a write, and come in once a line is removed', async () => {
    const jar = new CookieJar()
    const email = `kept-full-${Date.now()}@example.com`
    expect((await request('/api/auth/register', jar, { json: { email, name: 'Kept', password: 'a long password' } })).status).toBe(201)
    const { id: userId } = await testApp.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()
    const accountCart = await cartWithLines({ user_id: userId }, range(1, 100))
    const setAside = await cartWithLines({ user_id: null, set_aside_for: userId }, range(101, 105))

    for (let i = 0; i < 3; i++) expect((await cartOf(jar)).setAside).toBe(5)
    expect((await request('/cart', jar)).status).toBe(200)
    expect(await writtenAt(accountCart, setAside)).toEqual([1, 1])

    expect((await request('/api/cart/items/1', jar, { method: 'DELETE' })).status).toBe(200)
    const after = await cartOf(jar)
    expect(products(after)).toEqual(range(2, 101))
    expect(after.setAside).toBe(4)
  })

  it('a visitor: a newer cart of this browser waits without a write while the oldest is full', async () => {
    const jar = new CookieJar()
    const now = Date.now()
    await visitorCartIn(jar, 'tessera_cart_dddddddddddd', range(1, 100), now - 2000)
    await visitorCartIn(jar, 'tessera_cart_eeeeeeeeeeee', range(101, 103), now - 1000)
    const ids = await visitorCartIds(testApp.db, [...jar.cookies.values()].map(hashCartToken))
    const [oldest, newer] = [...ids.values()].sort((a, b) => a - b) as [number, number]
    await testApp.db.updateTable('carts').set({ updated_at: 1 }).where('id', 'in', [oldest, newer]).execute()

    for (let i = 0; i < 3; i++) expect((await cartOf(jar)).setAside).toBe(3)
    expect(await writtenAt(oldest, newer)).toEqual([1, 1])
    expect(jar.cartCookies).toHaveLength(2)

    expect((await request('/api/cart/items/1', jar, { method: 'DELETE' })).status).toBe(200)
    const after = await cartOf(jar)
    expect(products(after)).toEqual(range(2, 101))
    expect(after.setAside).toBe(2)
  })
})
