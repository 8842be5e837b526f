import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cartCountQuery } from '../domains/orders/cart-count.server.ts'
import { testDialect } from '#shared/db'
import { planOf, planProblems } from './support/query-plan.ts'
import { createTestApp } from './support/test-app.ts'

/*
 * The header a shopper sees (#13 items 17-18): the product page's way back names the category,
 * and the cart's count is rendered per request for visitors with a cart or a session only, so a
 * cached page (shared by everyone else) never shows someone's count, and nobody else pays a query.
 */

type TestApp = Awaited<ReturnType<typeof createTestApp>>
let testApp: TestApp
let product: { id: number; slug: string; stock: number }
let other: { id: number; slug: string }

beforeAll(async () => {
  testApp = await createTestApp()
  const { items } = (await (await testApp.app.request('/api/products?limit=50&category=kitchen')).json()) as { items: (typeof product)[] }
  const inStock = items.filter((item) => item.stock > 10)
  product = inStock[0]!
  other = inStock[1]!
})
afterAll(() => testApp.close())

const page = (app: TestApp['app'], path: string, cookie?: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers } })

/** Adds to the cart by the API, as the product page does with JavaScript; answers the cookies to send next. */
async function addToCart(productId: number, quantity: number, cookie = ''): Promise<string> {
  const res = await testApp.app.request('/api/cart/items', {
    method: 'POST',
    body: JSON.stringify({ productId, quantity }),
    headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
  })
  expect(res.status).toBe(201)
  return withCookies(cookie, res)
}

async function register(email: string, cookie = ''): Promise<string> {
  const res = await testApp.app.request('/api/auth/register', {
    method: 'POST',
    body: JSON.stringify({ email, name: 'Shopper', password: 'a long password' }),
    headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
  })
  expect(res.status).toBe(201)
  return withCookies(cookie, res)
}

/** `cookie` updated by the response's Set-Cookie lines (a cleared cookie is dropped). */
function withCookies(cookie: string, res: Response): string {
  const jar = new Map(cookie ? cookie.split('; ').map((pair) => pair.split('=') as [string, string]) : [])
  for (const line of res.headers.getSetCookie()) {
    const [name, value] = line.split(';')[0]!.split('=') as [string, string]
    if (value && !/max-age=0/i.test(line)) jar.set(name, value)
    else jar.delete(name)
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
}

/** The header's cart link as rendered: its count, or null without one. */
function cartCount(html: string): number | null {
  const link = /<a href="\/cart">([\s\S]*?)<\/a>/.exec(html)?.[1]
  expect(link, 'the header has a cart link').toBeDefined()
  const badge = /<span class="nav-badge" data-badge="cart">(\d+)<span class="visually-hidden"> (items?)<\/span><\/span>/.exec(link!)
  if (!badge) return null
  expect(badge[2]).toBe(badge[1] === '1' ? 'item' : 'items')
  return Number(badge[1])
}

describe("the product page's way back", () => {
  it('names the category (← Kitchen), linking to its listing by slug', async () => {
    const html = await (await page(testApp.app, `/products/${product.slug}`)).text()
    expect(html.replaceAll('<!-- -->', '')).toContain('<a href="/products?category=kitchen">← Kitchen</a>')
  })
})

describe("the header's cart count", () => {
  it('shows none to a visitor without a cart, from the page cache', async () => {
    await page(testApp.app, `/products/${product.slug}`)
    const res = await page(testApp.app, `/products/${product.slug}`)
    expect(res.headers.get('X-Cache')).toBe('HIT')
    expect(cartCount(await res.text())).toBeNull()
    // Other cookies (a theme, analytics, one whose name only starts like the cart's) change nothing.
    const withCookies = await page(testApp.app, `/products/${product.slug}`, 'theme=dark; tessera_cartoon=1; _ga=GA1.2')
    expect(withCookies.headers.get('X-Cache')).toBe('HIT')
  })

  it("is a visitor's cart's items once they have one, on a page of their own (never the cache's)", async () => {
    await page(testApp.app, `/products/${product.slug}`) // cached for cookie-less visitors
    const cookie = await addToCart(product.id, 2)
    expect(cookie).toMatch(/^tessera_cart_\w+=/)
    const res = await page(testApp.app, `/products/${product.slug}`, cookie)
    expect(res.headers.get('X-Cache')).toBe('BYPASS')
    expect(res.headers.get('Cache-Control')).toBe('private, no-store')
    const html = await res.text()
    expect(cartCount(html)).toBe(2)
    expect(html).toContain('"badges":{"cart":2}') // the hydration data agrees

    const afterMore = await addToCart(other.id, 1, cookie)
    expect(cartCount(await (await page(testApp.app, '/', afterMore)).text())).toBe(3)
    // …and their page was not stored for anyone else.
    const anonymous = await page(testApp.app, `/products/${product.slug}`)
    expect(anonymous.headers.get('X-Cache')).toBe('HIT')
    expect(cartCount(await anonymous.text())).toBeNull()
  })

  it('comes with client navigation data too', async () => {
    const cookie = await addToCart(product.id, 1)
    const res = await page(testApp.app, '/products?page=2', cookie, { 'X-Tessera-Data': '1' })
    expect(res.headers.get('X-Cache')).toBe('BYPASS')
    const first = JSON.parse((await res.text()).split('\n')[0]!) as { badges: Record<string, number> }
    expect(first.badges).toEqual({ cart: 1 })
    const anonymous = await page(testApp.app, '/products?page=2', undefined, { 'X-Tessera-Data': '1' })
    expect(JSON.parse((await anonymous.text()).split('\n')[0]!).badges).toEqual({})
  })

  it('shows on pages outside the page cache and on error pages', async () => {
    const cookie = await addToCart(product.id, 4)
    expect(cartCount(await (await page(testApp.app, '/login', cookie)).text())).toBe(4)
    const missing = await page(testApp.app, '/no/such/page', cookie)
    expect(missing.status).toBe(404)
    expect(cartCount(await missing.text())).toBe(4)
  })

  it("counts a signed-in shopper's cart, and a visitor cart they bring, capped per product as merging caps it", async () => {
    const visitor = await addToCart(product.id, 3)
    const signedIn = await register(`count-${Date.now()}@example.com`, visitor)
    expect(signedIn).toMatch(/tessera_session=/)
    expect(signedIn).toMatch(/tessera_cart_\w+=/) // signing in knows no carts…
    // …the first page after it merges the visitor cart into theirs and drops its cookie.
    const first = await page(testApp.app, '/', signedIn)
    expect(cartCount(await first.text())).toBe(3)
    expect(first.headers.getSetCookie().some((cookie) => /^tessera_cart_\w+=;/.test(cookie))).toBe(true)
    const withoutVisitorCart = signedIn
      .split('; ')
      .filter((pair) => !pair.startsWith('tessera_cart_'))
      .join('; ')
    const merged = await addToCart(other.id, 2, withoutVisitorCart)
    expect(merged).not.toMatch(/tessera_cart/)
    expect(cartCount(await (await page(testApp.app, '/', merged)).text())).toBe(5)

    // 60 in a visitor cart and 50 of the same in the account's merge to 99, not 110.
    await testApp.db.updateTable('products').set({ stock: 500 }).where('id', '=', product.id).execute()
    const account = await register(`cap-${Date.now()}@example.com`)
    const withAccount = await addToCart(product.id, 50, account)
    const visitorCart = (await addToCart(product.id, 60)).split('; ').find((pair) => pair.startsWith('tessera_cart_'))!
    const both = `${withAccount}; ${visitorCart}`
    expect(cartCount(await (await page(testApp.app, '/', both)).text())).toBe(99)
    const cart = (await (await page(testApp.app, '/api/cart', both)).json()) as { count: number }
    expect(cart.count).toBe(99) // the cart, merged now, agrees
  })

  it('counts what /cart holds for a signed-in shopper whose products were set aside: joined when there is room, not while the cart is full', async () => {
    const account = await register(`set-aside-${Date.now()}@example.com`)
    const { id: userId } = await testApp.db.selectFrom('users').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()
    const cartHolding = async (owner: { user_id: number | null; set_aside_for?: number }, products: number[], quantity: number) => {
      const { id } = await testApp.db
        .insertInto('carts')
        .values({ ...owner, token_hash: null, created_at: Date.now(), updated_at: Date.now() })
        .returning('id')
        .executeTakeFirstOrThrow()
      await testApp.db
        .insertInto('cart_items')
        .values(products.map((product_id) => ({ cart_id: id, product_id, quantity })))
        .execute()
      return id
    }
    const cartPage = async () => {
      const res = await page(testApp.app, '/cart', account)
      const html = await res.text()
      return { badge: cartCount(html), title: Number(/<title>Cart \((\d+)\)/.exec(html)?.[1]) }
    }
    // What did not fit at a sign-in, waiting while the cart was ordered (emptied): no cart cookie in this browser.
    await cartHolding({ user_id: null, set_aside_for: userId }, [product.id, other.id], 2)
    expect(cartCount(await (await page(testApp.app, '/', account)).text())).toBe(4)
    expect(await cartPage()).toEqual({ badge: 4, title: 4 })

    // A full cart: the products set aside wait outside it (the cart page says so), and the badge counts the cart.
    const full = await register(`set-aside-full-${Date.now()}@example.com`)
    const { id: fullUser } = await testApp.db.selectFrom('users').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()
    await cartHolding(
      { user_id: fullUser },
      Array.from({ length: 100 }, (_, i) => i + 101),
      1,
    )
    await cartHolding({ user_id: null, set_aside_for: fullUser }, [product.id], 3)
    expect(cartCount(await (await page(testApp.app, '/', full)).text())).toBe(100)
    const fullCart = await (await page(testApp.app, '/cart', full)).text()
    expect(cartCount(fullCart)).toBe(100)
    expect(fullCart).toContain('<title>Cart (100)')
  })

  it('is none for a cart cookie that finds no cart, and for a signed-in shopper with an empty cart', async () => {
    expect(cartCount(await (await page(testApp.app, '/', 'tessera_cart=unknown')).text())).toBeNull()
    const account = await register(`empty-${Date.now()}@example.com`)
    expect(cartCount(await (await page(testApp.app, '/', account)).text())).toBeNull()
  })
})

// Both tests read SQLite itself: the statements better-sqlite3 prepares (PostgreSQL's go through
// pg, unseen here) and SQLite's EXPLAIN QUERY PLAN. Which page views read a cart is decided above
// the dialect, so SQLite's run checks it for both; a PostgreSQL twin of the plan is not written yet.
describe.skipIf(testDialect !== 'sqlite')('the cost of the count', () => {
  let uncached: TestApp
  const statements: string[] = []
  const proto = Object.getPrototypeOf(new SQLite(':memory:').prepare('select 1')) as Record<'all' | 'get' | 'run' | 'iterate', (...args: unknown[]) => unknown>
  const originals = { all: proto.all, get: proto.get, run: proto.run, iterate: proto.iterate }

  beforeAll(async () => {
    uncached = await createTestApp({ PAGE_CACHE_MAX_BYTES: '0' }) // every request renders
    for (const method of Object.keys(originals) as (keyof typeof originals)[]) {
      proto[method] = function (this: { source: string }, ...args: unknown[]) {
        statements.push(this.source)
        return originals[method].apply(this, args)
      }
    }
  })
  afterAll(async () => {
    Object.assign(proto, originals)
    await uncached.close()
  })

  /** The SQL statements one page view ran that read a cart. */
  async function cartQueriesOf(path: string, cookie?: string): Promise<string[]> {
    statements.length = 0
    const res = await page(uncached.app, path, cookie)
    expect(res.status).toBe(200)
    await res.text()
    return statements.filter((sql) => /\bcart(s|_items)\b/.test(sql))
  }

  it('is no query for a visitor without a cart or a session, the one query for a visitor with a cart', async () => {
    expect(await cartQueriesOf(`/products/${product.slug}`)).toEqual([])
    expect(await cartQueriesOf(`/products/${product.slug}`, 'theme=dark; other=1')).toEqual([])
    expect(await cartQueriesOf(`/products/${product.slug}`, 'tessera_cart=some-token')).toHaveLength(1)
  })

  it('reads the two carts by their unique indexes and their lines by key, never every cart', async () => {
    const plan = await planOf(testApp.db, cartCountQuery(testApp.db, { userId: 1, tokenHash: 'x' }))
    const shown = `plan:\n  ${plan.join('\n  ')}`
    // What is left is the two carts' own lines: grouped by product (a sort), then summed (a scan of those groups).
    expect(planProblems(plan), shown).toEqual(['sort', 'full scan of lines'])
    expect(plan, shown).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SEARCH carts USING INDEX \w+ \(user_id=\?\)$/),
        expect.stringMatching(/^SEARCH carts USING INDEX \w+ \(token_hash=\?\)$/),
        expect.stringMatching(/^SEARCH cart_items USING INDEX \w+ \(cart_id=\?\)$/),
      ]),
    )
  })
})
