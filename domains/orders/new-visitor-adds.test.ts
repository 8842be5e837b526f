import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../tests/support/test-app.ts'
import { CookieJar } from './test-cookie-jar.ts'

/*
 * A new visitor (no cart cookie yet) adds in two tabs at once, or posts two product pages' forms
 * without JavaScript before the first answer is in: neither request carries a cart cookie, so
 * each makes a cart. The browser keeps every cookie it is given under its name; with one cookie
 * name for every cart it kept the last, and the other tab's product was gone.
 */

let testApp: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  testApp = await createTestApp()
})
afterAll(() => testApp.close())

const request = (path: string, jar: CookieJar, init: { form?: Record<string, string>; json?: unknown } = {}) =>
  testApp.app.request(`http://localhost${path}`, {
    method: init.form || init.json ? 'POST' : 'GET',
    body: init.form ? new URLSearchParams(init.form) : init.json ? JSON.stringify(init.json) : undefined,
    headers: {
      Origin: 'http://localhost',
      ...(init.form && { 'Content-Type': 'application/x-www-form-urlencoded' }),
      ...(init.json !== undefined && { 'Content-Type': 'application/json' }),
      ...(jar.cookies.size > 0 && { Cookie: jar.header }),
    },
  })

const cartOf = async (jar: CookieJar) => {
  const res = await request('/api/cart', jar)
  jar.take(res)
  return ((await res.json()) as { items: { productId: number; quantity: number }[] }).items.map(({ productId, quantity }) => [productId, quantity])
}

/** Two adds sent by a browser holding no cart cookie, answered in `order`. */
async function addsAtOnce(jar: CookieJar, order: 'first' | 'second') {
  const [one, two] = await Promise.all([
    request('/cart', jar, { form: { intent: 'add', productId: '21', quantity: '1' } }),
    request('/api/cart/items', jar, { json: { productId: 22, quantity: 2 } }),
  ])
  expect([one.status, two.status]).toEqual([303, 201])
  for (const res of order === 'first' ? [one, two] : [two, one]) jar.take(res)
}

describe('two first adds at once', () => {
  it.each(['first', 'second'] as const)('both stay in the cart, whichever answer comes %s', async (order) => {
    const jar = new CookieJar()
    await addsAtOnce(jar, order)
    expect(jar.cartCookies).toHaveLength(2) // one name each: the browser keeps both
    expect(await cartOf(jar)).toEqual([
      [21, 1],
      [22, 2],
    ])
    // That request merged them into one cart and cleared the other's cookie.
    expect(jar.cartCookies).toHaveLength(1)
    expect(await cartOf(jar)).toEqual([
      [21, 1],
      [22, 2],
    ])
  })

  it('shows both in the header of the next page, on a page of their own (not the cache’s)', async () => {
    const jar = new CookieJar()
    await addsAtOnce(jar, 'second')
    const res = await request('/', jar)
    expect(res.headers.get('X-Cache')).toBe('BYPASS')
    expect(await res.text()).toContain('"badges":{"cart":3}')
    jar.take(res)
    expect(jar.cartCookies).toHaveLength(1)
  })

  it('both join the account at sign-in, and no cart cookie is left', async () => {
    const jar = new CookieJar()
    await addsAtOnce(jar, 'first')
    const registered = await request('/api/auth/register', jar, {
      json: { email: `two-tabs-${Date.now()}@example.com`, name: 'Tabs', password: 'a long password' },
    })
    expect(registered.status).toBe(201)
    jar.take(registered)
    expect(await cartOf(jar)).toEqual([
      [21, 1],
      [22, 2],
    ])
    expect(jar.cartCookies).toEqual([])
  })

  it('a cookie whose cart is gone is cleared; one of a live cart never is', async () => {
    const jar = new CookieJar()
    jar.take(await request('/api/cart/items', jar, { json: { productId: 21, quantity: 1 } }))
    const [live] = jar.cartCookies
    jar.cookies.set('tessera_cart_0000deadbeef', 'no-such-cart')
    jar.cookies.set('tessera_cart', 'an-old-cart-purged-since')
    expect(await cartOf(jar)).toEqual([[21, 1]])
    expect(jar.cartCookies).toEqual([live])
  })
})
