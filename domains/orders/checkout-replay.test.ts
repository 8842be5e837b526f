import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../tests/support/test-app.ts'
import { CookieJar } from './test-cookie-jar.ts'

/*
 * A checkout sent twice (a double click, the back button and "Place order" again, a client's retry
 * after a lost answer) is answered with the order the first one placed. The first took the cart's
 * lines; if the cart is filled again before the second arrives (products set aside at a sign-in
 * join a cart that has room, at the second request itself; an add in another tab), the second was
 * compared with that new cart and refused (422 idempotency_key_reused) although its form, through
 * its cartVersion, names the very lines that were ordered.
 */

let testApp: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  testApp = await createTestApp()
  await testApp.db.updateTable('products').set({ stock: 50 }).where('id', 'in', [51, 52, 53]).execute()
})
afterAll(() => testApp.close())

async function call(
  jar: CookieJar,
  path: string,
  { form, json, headers = {} }: { form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await testApp.app.request(`http://localhost${path}`, {
    method: form || json ? 'POST' : 'GET',
    body: form ? new URLSearchParams(form) : json ? JSON.stringify(json) : undefined,
    headers: {
      Origin: 'http://localhost',
      ...headers,
      ...(form && { 'Content-Type': 'application/x-www-form-urlencoded' }),
      ...(json !== undefined && { 'Content-Type': 'application/json' }),
      ...(jar.cookies.size > 0 && { Cookie: jar.header }),
    },
  })
  jar.take(res)
  return res
}
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]
const address = { name: 'Ada', line1: '1 Road', line2: '', city: 'Town', postalCode: '12345', country: 'GB' }

async function shopperWith(productId: number) {
  const jar = new CookieJar()
  const email = `replay-${productId}-${Math.random()}@example.com`
  expect((await call(jar, '/api/auth/register', { json: { email, name: 'Ada', password: 'a long password' } })).status).toBe(201)
  const { id: userId } = await testApp.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()
  expect((await call(jar, '/api/cart/items', { json: { productId, quantity: 2 } })).status).toBe(201)
  return { jar, userId }
}

/** Products set aside for the account (what did not fit at a sign-in): they join the cart once it has room. */
async function setAsideFor(userId: number, productId: number) {
  const { id } = await testApp.db
    .insertInto('carts')
    .values({ user_id: null, token_hash: null, set_aside_for: userId, created_at: Date.now(), updated_at: Date.now() })
    .returning('id')
    .executeTakeFirstOrThrow()
  await testApp.db.insertInto('cart_items').values({ cart_id: id, product_id: productId, quantity: 1 }).execute()
}

describe('a checkout sent again after its cart was filled again', () => {
  it('the form: the second post goes to the order the first placed, and the cart keeps what joined it', async () => {
    const { jar, userId } = await shopperWith(51)
    const html = await (await call(jar, '/checkout')).text()
    const form = {
      idempotencyKey: hidden(html, 'idempotencyKey')!,
      cartVersion: hidden(html, 'cartVersion')!,
      ...address,
      cardNumber: '4242 4242 4242 4242',
      cardExpMonth: '12',
      cardExpYear: '2099',
      cardCvc: '123',
    }
    const first = await call(jar, '/checkout', { form })
    expect(first.status).toBe(303)
    // What waited outside a full cart (here set aside just now): the emptied cart has room, so it joins at the next request.
    await setAsideFor(userId, 52)
    const again = await call(jar, '/checkout', { form })
    expect([again.status, again.headers.get('location')]).toEqual([303, first.headers.get('location')])
    const orders = await testApp.db.selectFrom('orders').select('id').where('user_id', '=', userId).execute()
    expect(orders).toHaveLength(1)
    const cart = (await (await call(jar, '/api/cart')).json()) as { items: { productId: number }[] }
    expect(cart.items.map((item) => item.productId)).toEqual([52])
  })

  it('the API: a retry with the same key and cartVersion is the replay (Idempotent-Replayed), after an add in another tab too', async () => {
    const { jar } = await shopperWith(53)
    const { version } = (await (await call(jar, '/api/cart')).json()) as { version: string }
    const body = {
      shipping: { name: 'Ada', line1: '1 Road', city: 'Town', postalCode: '12345', country: 'GB' },
      card: { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' },
      cartVersion: version,
    }
    const headers = { 'Idempotency-Key': `replay-key-${Math.random()}` }
    const first = await call(jar, '/api/orders', { json: body, headers })
    expect(first.status).toBe(201)
    expect((await call(jar, '/api/cart/items', { json: { productId: 51, quantity: 1 } })).status).toBe(201)
    const retry = await call(jar, '/api/orders', { json: body, headers })
    expect([retry.status, retry.headers.get('Idempotent-Replayed')]).toEqual([201, 'true'])
    expect(((await retry.json()) as { order: { id: number } }).order.id).toBe(((await first.json()) as { order: { id: number } }).order.id)
    // Another request with that key (no cartVersion: the cart as it is now, another product) is still refused.
    const other = await call(jar, '/api/orders', { json: { ...body, cartVersion: undefined }, headers })
    expect(other.status).toBe(422)
  })
})
