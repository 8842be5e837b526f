import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../tests/support/test-app.ts'
import { ownProduct } from './test-product.ts'
import { fakeGateway } from './payments.server.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>

beforeAll(async () => {
  testApp = await createTestApp({ FULFILMENT_DELAY_MS: '600000', JOBS_POLL_MS: '20', TRUST_PROXY: 'true' })
})
afterAll(() => testApp.close())

/** A browser: it keeps the cookies it is given and sends them back. */
function client() {
  const jar = new Map<string, string>()
  const ip = `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`
  /** `body` is sent as JSON, `form` as a form without JavaScript posts it. */
  async function call(
    path: string,
    { method = 'GET', body, form, headers = {} }: { method?: string; body?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const res = await testApp.app.request(`http://localhost${path}`, {
      method: form ? 'POST' : method,
      body: form ? new URLSearchParams(form) : body === undefined ? undefined : JSON.stringify(body),
      headers: {
        Origin: 'http://localhost',
        'X-Forwarded-For': ip,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        ...(jar.size ? { Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...headers,
      },
    })
    for (const cookie of res.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';')
      const [name, value] = pair!.split('=') as [string, string]
      if (attributes.some((a) => /max-age=0/i.test(a)) || value === '') jar.delete(name)
      else jar.set(name, value)
    }
    return res
  }
  let emails = 0
  return {
    call,
    async signUp() {
      const email = `buyer${Date.now()}${++emails}${Math.random().toString(36).slice(2, 6)}@example.com`
      expect((await call('/api/auth/register', { method: 'POST', body: { email, name: 'Buyer', password: 'long enough' } })).status).toBe(201)
      return email
    },
  }
}

const card = { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2099, cvc: '123' }
const shipping = { name: 'Ada Lovelace', line1: '1 Analytical St', city: 'London', postalCode: 'N1 1AA', country: 'gb' }
const productOf = async (id: number) => (await testApp.app.request(`http://localhost/api/products/${id}`)).json()
const setStock = (id: number, stock: number) => testApp.db.updateTable('products').set({ stock }).where('id', '=', id).execute()

describe('the cart', () => {
  it('works for a visitor without an account, with totals in cents from the server', async () => {
    const { call } = client()
    await setStock(10, 50)
    const added = await call('/api/cart/items', { method: 'POST', body: { productId: 10, quantity: 2 } })
    expect(added.status).toBe(201)
    expect(added.headers.getSetCookie().some((c) => /^tessera_cart_[0-9a-f]{12}=/.test(c) && /HttpOnly/.test(c))).toBe(true)
    const product = await productOf(10)
    const cart = await (await call('/api/cart')).json()
    expect(cart).toMatchObject({ count: 2, totalCents: product.priceCents * 2 })
    expect((await (await call('/api/cart/items/10', { method: 'PATCH', body: { quantity: 5 } })).json()).count).toBe(5)
    expect((await (await call('/api/cart/items/10', { method: 'DELETE' })).json()).count).toBe(0)
  })

  it('changes the quantity of a line the cart holds only: another product is a 404, the cart unchanged', async () => {
    const { call } = client()
    await setStock(12, 50)
    await setStock(13, 50)
    expect((await call('/api/cart/items', { method: 'POST', body: { productId: 12, quantity: 1 } })).status).toBe(201)
    const stranger = await call('/api/cart/items/13', { method: 'PATCH', body: { quantity: 3 } })
    expect([stranger.status, (await stranger.json()).error.code]).toEqual([404, 'not_found'])
    expect((await call('/api/cart/items/13', { method: 'PATCH', body: { quantity: 60 } })).status).toBe(404) // not in the cart, before too many
    const gone = await call('/cart', { form: { intent: 'update', productId: '13', quantity: '2' } }) // a line removed in another tab
    expect(gone.status).toBe(404)
    expect(await gone.text()).toContain('Not changed<!-- -->: <!-- -->That product is not in your cart.')
    const cart = await (await call('/api/cart')).json()
    expect(cart.items.map((item: { productId: number; quantity: number }) => [item.productId, item.quantity])).toEqual([[12, 1]])
  })

  it('shows the quantity typed in a refused update without JavaScript, marked invalid, not the old one', async () => {
    const { call } = client()
    await setStock(15, 4)
    expect((await call('/api/cart/items', { method: 'POST', body: { productId: 15, quantity: 1 } })).status).toBe(201)
    const refused = await call('/cart', { form: { intent: 'update', productId: '15', quantity: '50' } })
    expect(refused.status).toBe(409)
    const field = /<input type="number"[^>]*name="quantity"[^>]*>/.exec(await refused.text())![0]
    expect(field).toContain('value="50"')
    expect(field).toContain('aria-invalid="true"')
    expect(/<input type="number"[^>]*name="quantity" value="1"\/>/.test(await (await call('/cart')).text())).toBe(true) // the cart holds 1 still
  })

  it('keeps quantities within 1–99 and the stock', async () => {
    const { call } = client()
    await setStock(11, 3)
    expect((await call('/api/cart/items', { method: 'POST', body: { productId: 11, quantity: 0 } })).status).toBe(400)
    expect((await call('/api/cart/items', { method: 'POST', body: { productId: 11, quantity: 100 } })).status).toBe(400)
    const over = await call('/api/cart/items', { method: 'POST', body: { productId: 11, quantity: 4 } })
    expect(over.status).toBe(409)
    expect((await over.json()).error.message).toBe('Only 3 left.')
    expect((await call('/api/cart/items', { method: 'POST', body: { productId: 999999, quantity: 1 } })).status).toBe(404)
  })

  it('makes no cart for a refused add, a change or a removal: no cookie, no row', async () => {
    const carts = async () =>
      Number(
        (
          await testApp.db
            .selectFrom('carts')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await carts()
    await setStock(13, 0)
    const refused = [
      await client().call('/api/cart/items', { method: 'POST', body: { productId: 999999, quantity: 1 } }), // no such product
      await client().call('/api/cart/items', { method: 'POST', body: { productId: 13, quantity: 1 } }), // sold out
      await client().call('/api/cart/items/12', { method: 'PATCH', body: { quantity: 2 } }),
      await client().call('/cart', { form: { intent: 'add', productId: '999999' } }),
      await client().call('/cart', { form: { intent: 'update', productId: '12', quantity: '2' } }),
      await client().call('/cart', { form: { intent: 'remove', productId: '12' } }),
    ]
    expect(refused.map((res) => res.status)).toEqual([404, 409, 404, 404, 404, 303])
    expect(refused.flatMap((res) => res.headers.getSetCookie())).toEqual([])
    expect(await carts()).toBe(before)
  })

  it('counts every one of many adds at once, and lets none pass the stock', async () => {
    const { call } = client()
    await setStock(14, 12)
    expect((await call('/api/cart/items', { method: 'POST', body: { productId: 14, quantity: 1 } })).status).toBe(201) // the cart's cookie
    const adds = await Promise.all(Array.from({ length: 15 }, () => call('/api/cart/items', { method: 'POST', body: { productId: 14, quantity: 1 } })))
    expect(adds.filter((res) => res.status === 201)).toHaveLength(11)
    expect(adds.filter((res) => res.status === 409)).toHaveLength(4)
    expect((await (await call('/api/cart')).json()).count).toBe(12)
  })

  it("merges a visitor's cart into the account on sign-in", async () => {
    const shopper = client()
    await setStock(12, 50)
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 12, quantity: 1 } })
    await shopper.signUp()
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 12, quantity: 2 } })
    const cart = await (await shopper.call('/api/cart')).json()
    expect(cart.items).toEqual([expect.objectContaining({ productId: 12, quantity: 3 })])
  })
})

describe('a visitor cart at sign-in', () => {
  it('joins the account at the first page after signing in, and does not pass to the next account on this browser', async () => {
    const browser = client()
    await setStock(13, 50)
    await browser.call('/api/cart/items', { method: 'POST', body: { productId: 13, quantity: 2 } })
    await browser.signUp() // Alice
    const page = await browser.call('/products')
    expect(page.headers.getSetCookie().some((cookie) => /^tessera_cart_\w+=;.*max-age=0/i.test(cookie))).toBe(true)
    expect((await (await browser.call('/api/cart')).json()).items).toEqual([expect.objectContaining({ productId: 13, quantity: 2 })])
    expect((await browser.call('/logout', { form: {} })).status).toBe(303)
    await browser.signUp() // Bob, on the same browser
    expect((await (await browser.call('/api/cart')).json()).items).toEqual([])
  })
})

describe('the cart page without JavaScript', () => {
  it('says why an add from a product page was refused, naming the product when the cart holds it', async () => {
    const shopper = client()
    await setStock(44, 3)
    const refused = await shopper.call('/cart', { form: { intent: 'add', productId: '44', quantity: '5' } })
    expect(refused.status).toBe(409)
    expect(await refused.text()).toMatch(
      /<p class="form-error" role="alert" tabindex="-1"( autofocus="")?>Not added to your cart<!-- -->: <!-- -->Only 3 left\.<\/p>/,
    )
    expect((await shopper.call('/cart', { form: { intent: 'add', productId: '44', quantity: '2' } })).status).toBe(303)
    const { name } = await productOf(44)
    const again = await (await shopper.call('/cart', { form: { intent: 'add', productId: '44', quantity: '2' } })).text()
    expect(again).toContain(`Not added to your cart<!-- --> (${name})<!-- -->: <!-- -->Only 3 left, and your cart holds 2: add 1 at most.`)
    await shopper.call('/cart', { form: { intent: 'add', productId: '44', quantity: '1' } })
    const full = await (await shopper.call('/cart', { form: { intent: 'add', productId: '44', quantity: '1' } })).text()
    expect(full).toContain(`Not added to your cart<!-- --> (${name})<!-- -->: <!-- -->Only 3 left, and your cart holds 3 already.`)
  })

  it('says why nothing was ordered when what the checkout page showed is no longer sold', async () => {
    const shopper = client()
    await shopper.signUp()
    const id = await ownProduct(testApp.db, 'gone-jar')
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: id, quantity: 1 } })
    const page = await (await shopper.call('/checkout')).text()
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page)?.[1] ?? ''
    await testApp.db.deleteFrom('products').where('id', '=', id).execute() // an admin deletes it meanwhile
    const form = {
      idempotencyKey: field('idempotencyKey'),
      cartVersion: field('cartVersion'),
      ...shipping,
      cardNumber: card.number,
      cardExpMonth: '12',
      cardExpYear: '2099',
      cardCvc: '123',
    }
    const refused = await shopper.call('/checkout', { form })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain(
      'Your cart is empty now, so nothing was ordered. If you placed it in another tab, the order is in your orders; if not, what it held is no longer sold.',
    )
  })

  it('flags a line the stock no longer covers, and checkout names it with what to do', async () => {
    const shopper = client()
    await shopper.signUp()
    await setStock(45, 10)
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 45, quantity: 3 } })
    const { name } = await productOf(45)
    await setStock(45, 1) // sold to others since
    expect(await (await shopper.call('/cart')).text()).toContain('Only 1 left: lower the quantity to check out.')
    const refused = await shopper.call('/api/orders', { method: 'POST', body: { shipping, card } })
    expect([refused.status, (await refused.json()).error]).toEqual([
      409,
      { code: 'insufficient_stock', message: `Only 1 of ${name} left, and your cart holds 3: change the quantity in your cart, then check out again.` },
    ])
    await setStock(45, 0)
    expect(await (await shopper.call('/cart')).text()).toContain('Sold out: remove it to check out.')
    expect((await (await shopper.call('/api/orders', { method: 'POST', body: { shipping, card } })).json()).error.message).toBe(
      `${name} is sold out: take it out of your cart, then check out again.`,
    )
    expect((await (await shopper.call('/api/cart')).json()).count).toBe(3) // the cart is kept as it was
  })
})

describe('placing an order', () => {
  it('answers 401 to a visitor on its operations only: an address it lacks is a 404, a method a 405 (as signed in)', async () => {
    const visitor = client()
    expect((await visitor.call('/api/orders')).status).toBe(401)
    expect((await visitor.call('/api/dashboard')).status).toBe(401)
    expect((await visitor.call('/api/orders/1/nope')).status).toBe(404)
    const put = await visitor.call('/api/orders', { method: 'PUT', body: {} })
    expect([put.status, put.headers.get('Allow')]).toEqual([405, 'GET, HEAD, POST'])
    expect((await visitor.call('/api/dashboard', { method: 'DELETE' })).status).toBe(405)
  })

  it('answers 401 without a session and 400 for an empty cart', async () => {
    const shopper = client()
    expect((await shopper.call('/api/orders', { method: 'POST', body: { shipping, card } })).status).toBe(401)
    await shopper.signUp()
    const empty = await shopper.call('/api/orders', { method: 'POST', body: { shipping, card } })
    expect(empty.status).toBe(400)
    expect((await empty.json()).error.code).toBe('empty_cart')
  })

  it('places the cart: 201 with the order, stock taken, cart emptied', async () => {
    const shopper = client()
    await shopper.signUp()
    await setStock(20, 10)
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 20, quantity: 3 } })
    const res = await shopper.call('/api/orders', { method: 'POST', body: { shipping, card } })
    expect(res.status).toBe(201)
    const { order } = await res.json()
    const product = await productOf(20)
    expect(order).toEqual({
      id: expect.any(Number),
      status: 'paid',
      items: [{ productId: 20, name: product.name, quantity: 3, priceCents: product.priceCents }],
      totalCents: product.priceCents * 3,
      total: expect.stringMatching(/^\$/),
      createdAt: expect.any(String),
    })
    expect(product.stock).toBe(7)
    expect((await (await shopper.call('/api/cart')).json()).count).toBe(0)
  })

  it('orders the cart it was shown only: a cartVersion another tab or a new price outdated is a 409, nothing charged', async () => {
    const shopper = client()
    await shopper.signUp()
    await setStock(22, 10)
    await setStock(23, 10)
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 22, quantity: 1 } })
    const shown = (await (await shopper.call('/api/cart')).json()).version
    // Another tab adds a line; then the price of the shown one changes: each gives the cart a new version.
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 23, quantity: 2 } })
    const added = (await (await shopper.call('/api/cart')).json()).version
    await testApp.db.updateTable('products').set({ price_cents: 777 }).where('id', '=', 22).execute()
    const repriced = await (await shopper.call('/api/cart')).json()
    expect(new Set([shown, added, repriced.version]).size).toBe(3)
    for (const stale of [shown, added]) {
      const refused = await shopper.call('/api/orders', { method: 'POST', body: { shipping, card, cartVersion: stale } })
      expect([refused.status, (await refused.json()).error.code]).toEqual([409, 'cart_changed'])
    }
    expect((await (await shopper.call('/api/orders')).json()).total).toBe(0)
    expect([(await productOf(22)).stock, (await productOf(23)).stock]).toEqual([10, 10])
    const placed = await shopper.call('/api/orders', { method: 'POST', body: { shipping, card, cartVersion: repriced.version } })
    expect(placed.status).toBe(201)
    expect((await placed.json()).order.totalCents).toBe(repriced.totalCents)
  })

  it('returns the same order for a retried request with the same Idempotency-Key', async () => {
    const shopper = client()
    await shopper.signUp()
    await setStock(21, 10)
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 21, quantity: 1 } })
    const headers = { 'Idempotency-Key': 'checkout-abc-123' }
    const first = await (await shopper.call('/api/orders', { method: 'POST', body: { shipping, card }, headers })).json()
    const retry = await shopper.call('/api/orders', { method: 'POST', body: { shipping, card }, headers })
    expect(retry.status).toBe(201)
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true')
    expect((await retry.json()).order.id).toBe(first.order.id)
    expect((await (await shopper.call('/api/orders')).json()).total).toBe(1)
    expect((await productOf(21)).stock).toBe(9)
  })

  it('charges a cart once: other submissions of it (other keys, at once or later) get 400 empty_cart', async () => {
    const shopper = client()
    await shopper.signUp()
    await setStock(25, 10)
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 25, quantity: 1 } })
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        shopper.call('/api/orders', { method: 'POST', body: { shipping, card }, headers: { 'Idempotency-Key': `tab-${i}-of-ten` } }),
      ),
    )
    expect(results.map((res) => res.status).sort()).toEqual([201, ...Array(9).fill(400)])
    const later = await shopper.call('/api/orders', { method: 'POST', body: { shipping, card } })
    expect([later.status, (await later.json()).error.code]).toEqual([400, 'empty_cart'])
    expect((await (await shopper.call('/api/orders')).json()).total).toBe(1)
    expect((await productOf(25)).stock).toBe(9)
  })

  it('refuses an Idempotency-Key reused for another request with 422, ordering nothing; replays the same one', async () => {
    const shopper = client()
    await shopper.signUp()
    await setStock(26, 10)
    await setStock(27, 10)
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 26, quantity: 1 } })
    const headers = { 'Idempotency-Key': 'one-key-two-requests' }
    const place = (body: unknown) => shopper.call('/api/orders', { method: 'POST', body, headers })
    const first = await (await place({ shipping, card })).json()

    // The CVC is not part of the request; spaces in the card number are not either.
    const same = await place({ shipping, card: { ...card, number: '4242424242424242', cvc: '999' } })
    expect([same.status, same.headers.get('Idempotent-Replayed'), (await same.json()).order.id]).toEqual([201, 'true', first.order.id])
    for (const body of [
      { shipping: { ...shipping, postalCode: 'N1 1AB' }, card },
      { shipping, card: { ...card, expYear: 2098 } },
    ]) {
      const reused = await place(body)
      expect(reused.status).toBe(422)
      expect(await reused.json()).toEqual({ error: { code: 'idempotency_key_reused', message: expect.stringContaining(`order #${first.order.id}`) } })
    }
    // The cart filled again with the same line at the same price: the same request, replayed.
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 26, quantity: 1 } })
    expect((await place({ shipping, card })).headers.get('Idempotent-Replayed')).toBe('true')
    // Its price changed, or another product: another request.
    await testApp.db
      .updateTable('products')
      .set((eb) => ({ price_cents: eb('price_cents', '+', 100) }))
      .where('id', '=', 26)
      .execute()
    expect((await place({ shipping, card })).status).toBe(422)
    await shopper.call('/api/cart/items/26', { method: 'DELETE' })
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 27, quantity: 1 } })
    expect((await place({ shipping, card })).status).toBe(422)
    expect((await (await shopper.call('/api/orders')).json()).total).toBe(1)
    expect([(await productOf(26)).stock, (await productOf(27)).stock]).toEqual([9, 10])
  })

  it('answers a double click (one key, sent at once) with the one order, each time', async () => {
    const shopper = client()
    await shopper.signUp()
    await setStock(28, 10)
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 28, quantity: 1 } })
    const headers = { 'Idempotency-Key': 'double-click-key' }
    const results = await Promise.all(Array.from({ length: 5 }, () => shopper.call('/api/orders', { method: 'POST', body: { shipping, card }, headers })))
    const bodies = await Promise.all(results.map((res) => res.json()))
    expect(results.map((res) => res.status)).toEqual(Array(5).fill(201))
    expect(new Set(bodies.map((body) => body.order.id)).size).toBe(1)
    expect(results.filter((res) => res.headers.get('Idempotent-Replayed') === 'true')).toHaveLength(4)
    expect((await productOf(28)).stock).toBe(9)
  })

  it('answers a declined card with 402: no order, no stock taken', async () => {
    const shopper = client()
    await shopper.signUp()
    await setStock(22, 5)
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 22, quantity: 2 } })
    const res = await shopper.call('/api/orders', { method: 'POST', body: { shipping, card: { ...card, number: '4000 0000 0000 0002' } } })
    expect(res.status).toBe(402)
    expect((await res.json()).error.code).toBe('payment_declined')
    expect((await productOf(22)).stock).toBe(5)
    expect((await (await shopper.call('/api/orders')).json()).total).toBe(0)
    expect((await (await shopper.call('/api/cart')).json()).count).toBe(2) // the cart is kept to try again
  })

  it('refuses a card number that fails the Luhn check, an expired card and a country there is not, with 400', async () => {
    const shopper = client()
    await shopper.signUp()
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 23, quantity: 1 } })
    for (const country of ['ZZ', 'QQ', 'EU', 'UK', 'SU', 'XA', 'G1', '1']) {
      const nowhere = await shopper.call('/api/orders', { method: 'POST', body: { shipping: { ...shipping, country }, card } })
      expect([country, nowhere.status, (await nowhere.json()).error.issues]).toEqual([
        country,
        400,
        [expect.objectContaining({ path: ['shipping', 'country'] })],
      ])
    }
    const typo = await shopper.call('/api/orders', { method: 'POST', body: { shipping, card: { ...card, number: '4242 4242 4242 4241' } } })
    expect(typo.status).toBe(400)
    const expired = await shopper.call('/api/orders', { method: 'POST', body: { shipping, card: { ...card, expYear: 2020 } } })
    expect(expired.status).toBe(400)
  })

  it('takes a shipping address as long as its limits in characters, emoji and accents counted once, and says which field is longer', async () => {
    const shopper = client()
    await shopper.signUp()
    await setStock(25, 10)
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 25, quantity: 1 } })
    const page = await (await shopper.call('/checkout')).text()
    expect(page).toMatch(/maxLength="1000"[^>]*name="name"/) // the checkout form lets in what the server takes
    const long = { ...shipping, line1: '🇬🇧'.repeat(201), postalCode: '😀' }
    const refused = await shopper.call('/api/orders', { method: 'POST', body: { shipping: long, card } })
    expect((await refused.json()).error.issues).toEqual([
      expect.objectContaining({ path: ['shipping', 'line1'], message: 'Use at most 200 characters' }),
      expect.objectContaining({ path: ['shipping', 'postalCode'], message: 'Enter a postal code' }),
    ])
    const fits = { ...shipping, name: '👩🏽‍🚀'.repeat(100), line1: '🇬🇧'.repeat(200), city: 'Zu\u0308rich'.repeat(16), postalCode: '😀😀' }
    const placed = await shopper.call('/api/orders', { method: 'POST', body: { shipping: fits, card } })
    expect(placed.status).toBe(201)
  })

  it('answers 409 when the stock ran out since the item went into the cart', async () => {
    const shopper = client()
    await shopper.signUp()
    await setStock(24, 2)
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 24, quantity: 2 } })
    await setStock(24, 1)
    const res = await shopper.call('/api/orders', { method: 'POST', body: { shipping, card } })
    expect(res.status).toBe(409)
    expect((await productOf(24)).stock).toBe(1)
  })
})

describe('orders after placing', () => {
  it('refuses an order whose total its column cannot hold (over $21,474,836.47) with a 400, the cart kept', async () => {
    const shopper = client()
    await shopper.signUp()
    await setStock(46, 1000)
    await testApp.db.updateTable('products').set({ price_cents: 100_000_000 }).where('id', '=', 46).execute() // $1,000,000, the highest price
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 46, quantity: 22 } })
    const refused = await shopper.call('/api/orders', { method: 'POST', body: { shipping, card } })
    expect([refused.status, (await refused.json()).error.code]).toEqual([400, 'order_too_large'])
    expect((await (await shopper.call('/api/cart')).json()).count).toBe(22)
  })

  it('refuses a listing position whose id or price no column holds: 400, never a 500', async () => {
    const shopper = client()
    await shopper.signUp()
    for (const path of ['/api/orders?after=1_99999999999', '/orders?after=1_2147483648']) expect([path, (await shopper.call(path)).status]).toEqual([path, 400])
    for (const path of [
      '/api/products?after=1_99999999999',
      '/api/products?sort=price-asc&after=99999999999_1',
      '/products?sort=price-desc&before=2147483648_1',
    ])
      expect([path, (await shopper.call(path)).status]).toEqual([path, 400])
    expect((await shopper.call('/api/products?sort=price-asc&after=2147483647_2147483647')).status).toBe(200) // the largest that fit
  })

  it('refuses ids past an integer column with a 400, never a 500 (PostgreSQL would refuse the value)', async () => {
    const shopper = client()
    await shopper.signUp()
    const big = '2147483648'
    const answers = [
      await shopper.call(`/api/orders/${big}`),
      await shopper.call(`/api/orders/${big}/cancel`, { method: 'POST', body: {} }),
      await shopper.call('/api/cart/items', { method: 'POST', body: { productId: Number(big) } }),
      await shopper.call(`/api/cart/items/${big}`, { method: 'PATCH', body: { quantity: 1 } }),
      await shopper.call(`/api/cart/items/${big}`, { method: 'DELETE' }),
      await shopper.call(`/orders/${big}`),
    ]
    expect(answers.map((res) => res.status)).toEqual([400, 400, 400, 400, 400, 404]) // a page reads a bad id as no such order
  })

  it('answers a page of orders past the end with a 404 page, not "No orders yet."', async () => {
    const shopper = client()
    await shopper.signUp()
    expect(await (await shopper.call('/orders')).text()).toContain('No orders yet.')
    const past = await shopper.call('/orders?page=2')
    expect(past.status).toBe(404)
    expect(await past.text()).toContain('There is no such page: the list is shorter than that.')
    for (const page of ['21', '99999']) {
      const deep = await shopper.call(`/orders?page=${page}`)
      expect([page, deep.status]).toEqual([page, 400])
      expect(await deep.text()).toContain('Page numbers go up to 20')
    }
    const nonsense = await shopper.call('/orders?page=0')
    expect(nonsense.status).toBe(400)
    expect(await nonsense.text()).toContain('pages are numbered from 1')
  })

  /** The dashboard page's HTML, without the markers React puts between adjacent texts. */
  const dashboardHtml = async (shopper: ReturnType<typeof client>) => (await (await shopper.call('/dashboard')).text()).replaceAll('<!-- -->', '')

  async function ordered(productId: number, quantity = 2) {
    const shopper = client()
    await shopper.signUp()
    await setStock(productId, 10)
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId, quantity } })
    const { order } = await (await shopper.call('/api/orders', { method: 'POST', body: { shipping, card } })).json()
    return { shopper, order }
  }

  it('open to an admin, any of them: whose it is, where it goes, each line; to nobody else', async () => {
    const { shopper, order } = await ordered(31)
    const admin = client()
    const email = await admin.signUp()
    await testApp.db.updateTable('users').set({ role: 'admin' }).where('email', '=', email).execute()
    const deep = await admin.call('/admin/orders?page=99999')
    expect(deep.status).toBe(400)
    expect(await deep.text()).toContain('Page numbers go up to 20')
    expect(await (await admin.call('/admin/orders')).text()).toContain(`href="/admin/orders/${order.id}"`)
    const page = await admin.call(`/admin/orders/${order.id}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    const product = await productOf(31)
    for (const text of ['Buyer', shipping.line1, shipping.city, shipping.postalCode, 'GB', product.name, order.total]) expect(html).toContain(text)
    expect(html).toMatch(/@example\.com/) // the customer's email
    expect((await shopper.call(`/admin/orders/${order.id}`)).status).toBe(403)
    expect((await client().call(`/admin/orders/${order.id}`)).status).toBe(302) // to log in
    expect((await admin.call('/admin/orders/999999')).status).toBe(404)
  })

  it("are their owner's only: another user gets 404, never 403", async () => {
    const { order } = await ordered(30)
    const other = client()
    await other.signUp()
    expect((await other.call(`/api/orders/${order.id}`)).status).toBe(404)
    expect((await other.call(`/api/orders/${order.id}/cancel`, { method: 'POST' })).status).toBe(404)
    expect((await other.call(`/orders/${order.id}`)).status).toBe(404)
  })

  it('can be cancelled while paid: the stock goes back; not twice', async () => {
    const { shopper, order } = await ordered(31)
    expect((await productOf(31)).stock).toBe(8)
    const res = await shopper.call(`/api/orders/${order.id}/cancel`, { method: 'POST' })
    expect(res.status).toBe(200)
    expect((await res.json()).order.status).toBe('cancelled')
    expect((await productOf(31)).stock).toBe(10)
    expect((await shopper.call(`/api/orders/${order.id}/cancel`, { method: 'POST' })).status).toBe(409)
    // The refund is the job queue's, tried through a long outage (not the queue's default 2 minutes)…
    const refundJob = await testApp.db
      .selectFrom('tessera_jobs')
      .select('max_attempts')
      .where('type', '=', 'refund-order')
      .where('payload', '=', JSON.stringify({ orderId: order.id }))
      .executeTakeFirstOrThrow()
    expect(refundJob.max_attempts).toBeGreaterThanOrEqual(1000)
    // …the charge given back, and the shopper told.
    await expect.poll(() => fakeGateway.findCharge(`order-${order.id}`), { timeout: 3000 }).toBeNull()
    await expect
      .poll(async () => (await (await shopper.call('/api/dashboard')).json()).notifications.map((n: { message: string }) => n.message), { timeout: 3000 })
      .toContain(`Order #${order.id} was cancelled and refunded.`)
    // The page the checkout led to no longer thanks the shopper for it.
    const page = await (await shopper.call(`/orders/${order.id}?placed`)).text()
    expect(page).toContain('Cancelled')
    expect(page).not.toContain('Thank you! Your order is placed.')
  })

  it('counted on the dashboard beside the order it lists: one order, cancelled (not "0 orders")', async () => {
    const { shopper, order } = await ordered(35)
    expect((await shopper.call(`/api/orders/${order.id}/cancel`, { method: 'POST' })).status).toBe(200)
    expect((await (await shopper.call('/api/dashboard')).json()).orders).toMatchObject({ count: 0, cancelled: 1, totalSpent: '$0.00' })
    const html = await dashboardHtml(shopper)
    expect(html).toContain(`#${order.id}</a>`)
    expect(html).toContain('<p>1 order, cancelled.</p>')
    await setStock(36, 10)
    await shopper.call('/api/cart/items', { method: 'POST', body: { productId: 36, quantity: 1 } })
    const { order: second } = await (await shopper.call('/api/orders', { method: 'POST', body: { shipping, card } })).json()
    expect(await dashboardHtml(shopper)).toContain(`<p>2 orders, 1 cancelled; ${second.total} for the other one.</p>`)
  })

  it('cancelled several times at once: one cancel, and each refusal says what the order is now', async () => {
    const { shopper, order } = await ordered(33)
    const answers = await Promise.all([1, 2, 3, 4].map(() => shopper.call(`/api/orders/${order.id}/cancel`, { method: 'POST' })))
    expect(answers.map((res) => res.status).sort()).toEqual([200, 409, 409, 409])
    for (const res of answers.filter((res) => res.status === 409)) {
      expect((await res.json()).error.message).toBe('Only a paid order that has not shipped can be cancelled; this one is cancelled.')
    }
    expect((await productOf(33)).stock).toBe(10)
  })

  it('notify the shopper through the job queue, and show up on the dashboard', async () => {
    const { shopper, order } = await ordered(32)
    await expect
      .poll(async () => (await (await shopper.call('/api/dashboard')).json()).notifications.map((n: { message: string }) => n.message), { timeout: 3000 })
      .toContain(`Thank you! Order #${order.id} is paid.`)
    const dashboard = await (await shopper.call('/api/dashboard')).json()
    expect(dashboard.profile).toMatchObject({ name: 'Buyer' })
    expect(dashboard.orders).toMatchObject({ count: 1, totalSpent: order.total, recent: [{ id: order.id, itemCount: 2, total: order.total, status: 'paid' }] })
    expect(await dashboardHtml(shopper)).toContain(`#${order.id}</a> · 2 items ·`)
  })

  it('count one item as one on the dashboard page', async () => {
    const { shopper, order } = await ordered(34, 1)
    expect(await dashboardHtml(shopper)).toContain(`#${order.id}</a> · 1 item ·`)
  })
})
