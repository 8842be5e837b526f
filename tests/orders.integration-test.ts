import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { serversFor } from './support/server-process.ts'
import { logIn, signUp } from './support/sessions.ts'

const root = inject('builtRoot')
const start = serversFor(root, { TRUST_PROXY: 'true', ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'admin password' })

/** A shopper with a session, speaking from their own address (the rate limits are per address). */
async function shopper(url: string, n: number) {
  const ip = `10.7.${Math.floor(n / 250)}.${n % 250}`
  const headers = { 'Content-Type': 'application/json', Origin: url, 'X-Forwarded-For': ip }
  const email = `buyer-${n}-${Date.now()}@example.com`
  const cookie = await signUp(url, { email, name: `Buyer ${n}`, password: 'long enough' }, { headers })
  return (path: string, body?: unknown, base = url) =>
    fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...headers, Origin: base, Cookie: cookie },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
}

async function adminSetStock(url: string, productId: number, stock: number) {
  const headers = { 'Content-Type': 'application/json', Origin: url, 'X-Forwarded-For': '10.8.0.1' }
  const cookie = await logIn(url, { email: 'admin@example.com', password: 'admin password' }, { headers })
  const res = await fetch(`${url}/api/products/${productId}`, { method: 'PATCH', headers: { ...headers, Cookie: cookie }, body: JSON.stringify({ stock }) })
  expect(res.status).toBe(200)
}

const checkout = {
  shipping: { name: 'A', line1: '1 Road', city: 'Town', postalCode: '12345', country: 'US' },
  card: { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' },
}

describe('checkout under load, across two processes on one database', () => {
  it('sells exactly the stock: 50 shoppers, 5 in stock → 5 orders, 45 clear 409s, stock 0', async () => {
    const env = { DATABASE_PATH: join(root, 'orders-concurrency.sqlite') }
    const [a, b] = [await start(env), await start(env)]
    await adminSetStock(a.url, 7, 5)
    const shoppers = await Promise.all(Array.from({ length: 50 }, (_, i) => shopper(i % 2 ? a.url : b.url, i)))
    for (const call of shoppers) expect((await call('/api/cart/items', { productId: 7, quantity: 1 })).status).toBe(201)

    const results = await Promise.all(shoppers.map((call, i) => call('/api/orders', checkout, i % 2 ? b.url : a.url)))
    const statuses = results.map((res) => res.status)
    expect(statuses.filter((status) => status === 201)).toHaveLength(5)
    expect(statuses.filter((status) => status === 409)).toHaveLength(45)
    const refused = await results.find((res) => res.status === 409)!.json()
    expect(refused.error.code).toBe('insufficient_stock')
    expect((await (await fetch(`${a.url}/api/products/7`)).json()).stock).toBe(0)
  })
})

describe('the job queue survives a crash', () => {
  it('runs a job queued before kill -9 once the server is back', async () => {
    const env = { DATABASE_PATH: join(root, 'orders-crash.sqlite'), FULFILMENT_DELAY_MS: '1500', JOBS_POLL_MS: '50' }
    const first = await start(env)
    const call = await shopper(first.url, 900)
    await call('/api/cart/items', { productId: 8, quantity: 1 })
    const placed = await call('/api/orders', checkout)
    expect(placed.status).toBe(201)
    const { order } = await placed.json()
    await first.stop('SIGKILL') // before the fulfilment job was due

    const second = await start(env)
    await expect
      .poll(async () => (await (await call(`/api/orders/${order.id}`, undefined, second.url)).json()).order.status, { timeout: 10_000, interval: 200 })
      .toBe('fulfilled')
  })
})
