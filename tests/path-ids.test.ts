import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from './support/test-app.ts'

/*
 * An id in a path has one spelling, the store's own (`/orders/1`): `/orders/01` answered order 1's
 * page, and `/api/orders/01` order 1, so one order had as many addresses as there are zeros. Pages
 * now answer 301 to the one spelling (GET, HEAD), a form posted to another 404; APIs 400, as for
 * `1.0` (a client is not redirected).
 */

let testApp: Awaited<ReturnType<typeof createTestApp>>
let admin: string
let shopper: string
let orderId: number

function call(path: string, { method = 'GET', body, form, cookie }: { method?: string; body?: unknown; form?: Record<string, string>; cookie?: string } = {}) {
  const headers: Record<string, string> = { Origin: 'http://localhost' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (form) headers['Content-Type'] = 'application/x-www-form-urlencoded'
  if (cookie) headers.Cookie = cookie
  const sent = form ? new URLSearchParams(form).toString() : body === undefined ? undefined : JSON.stringify(body)
  return testApp.app.request(`http://localhost${path}`, { method, headers, body: sent })
}
const sessionOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith('tessera_session='))!
    .split(';')[0]!

beforeAll(async () => {
  testApp = await createTestApp({ ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'admin password' })
  admin = sessionOf(await call('/api/auth/login', { method: 'POST', body: { email: 'admin@example.com', password: 'admin password' } }))
  shopper = sessionOf(await call('/api/auth/register', { method: 'POST', body: { email: 'zeros@example.com', name: 'Z', password: 'long enough' } }))
  const { items } = (await (await call('/api/products?limit=20')).json()) as { items: { id: number; stock: number }[] }
  const product = items.find((item) => item.stock > 5)!
  expect((await call('/api/cart/items', { method: 'POST', body: { productId: product.id, quantity: 1 }, cookie: shopper })).status).toBe(201)
  const placed = await testApp.app.request('http://localhost/api/orders', {
    method: 'POST',
    headers: { Origin: 'http://localhost', 'Content-Type': 'application/json', Cookie: shopper, 'Idempotency-Key': 'zeros-order-1' },
    body: JSON.stringify({
      shipping: { name: 'Z', line1: '1 Road', city: 'Town', postalCode: '12345', country: 'US' },
      card: { number: '4242 4242 4242 4242', expMonth: 12, expYear: new Date().getFullYear() + 2, cvc: '123' },
    }),
  })
  expect(placed.status).toBe(201)
  orderId = ((await placed.json()) as { order: { id: number } }).order.id
})
afterAll(() => testApp.close())

const zeros = (id: number) => `00${id}`

describe('a page whose path holds an id', () => {
  it('answers 301 to its one spelling for an id written with leading zeros, the query kept', async () => {
    for (const [path, cookie, to] of [
      [`/orders/${zeros(orderId)}`, shopper, `/orders/${orderId}`],
      [`/orders/0${orderId}?placed`, shopper, `/orders/${orderId}?placed`],
      [`/admin/orders/${zeros(orderId)}`, admin, `/admin/orders/${orderId}`],
      ['/admin/products/01?saved', admin, '/admin/products/1?saved'],
    ] as const) {
      const res = await call(path, { cookie })
      expect([path, res.status, res.headers.get('location')]).toEqual([path, 301, to])
      expect((await call(to, { cookie })).status).toBe(200)
    }
  })

  it('is a 404 for the other spellings, and for a form posted to a spelling with zeros', async () => {
    for (const text of [`${orderId}.0`, `+${orderId}`, `%2B${orderId}`, `${orderId}e0`, '0', '00', ` ${orderId}`]) {
      expect([text, (await call(`/orders/${text}`, { cookie: shopper })).status]).toEqual([text, 404])
    }
    const cancel = await call(`/orders/${zeros(orderId)}`, { method: 'POST', form: { intent: 'cancel', confirm: 'on' }, cookie: shopper })
    expect(cancel.status).toBe(404)
    const order = (await (await call(`/api/orders/${orderId}`, { cookie: shopper })).json()) as { order: { status: string } }
    expect(order.order.status).toBe('paid') // the post changed nothing
    expect((await call('/admin/products/01', { method: 'POST', form: { intent: 'adjust-stock', delta: '5' }, cookie: admin })).status).toBe(404)
  })
})

describe('an API path that holds an id', () => {
  it('answers 400 invalid_input for an id with leading zeros, as for any other text that is not the id', async () => {
    for (const [method, path, cookie] of [
      ['GET', `/api/orders/${zeros(orderId)}`, shopper],
      ['POST', `/api/orders/0${orderId}/cancel`, shopper],
      ['PATCH', '/api/cart/items/01', shopper],
      ['DELETE', '/api/cart/items/01', shopper],
      ['GET', '/api/products/01', undefined],
      ['PATCH', '/api/products/01', admin],
      ['DELETE', '/api/products/01', admin],
    ] as const) {
      const res = await call(path, { method, cookie, ...(method === 'PATCH' && { body: path.includes('cart') ? { quantity: 1 } : { stock: 3 } }) })
      const body = (await res.json()) as { error: { code: string } }
      expect([method, path, res.status, body.error.code]).toEqual([method, path, 400, 'invalid_input'])
    }
    expect((await call(`/api/orders/${orderId}`, { cookie: shopper })).status).toBe(200)
    expect((await call('/api/products/1')).status).toBe(200)
  })
})
