import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startBuiltServer, type ServerProcess } from './support/server-process.ts'

/** The built server refuses cross-site mutations on the wire (tests/cross-site.test.ts covers every route in-process). */
let server: ServerProcess
let productId: number

beforeAll(async () => {
  server = await startBuiltServer(inject('builtRoot'))
  const { items } = (await (await fetch(`${server.url}/api/products?limit=48`)).json()) as { items: { id: number; stock: number }[] }
  productId = items.find((item) => item.stock > 0)!.id
})
afterAll(() => server?.stop())

const addToCart = (headers: Record<string, string>) =>
  fetch(`${server.url}/api/cart/items`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ productId, quantity: 1 }),
  })

describe('cross-site requests against the built server', () => {
  it('refuses JSON from a foreign or null Origin, or marked cross-site, with the JSON error and no cart', async () => {
    const crossSite: Record<string, string>[] = [{ Origin: 'https://evil.example' }, { Origin: 'null' }, { 'Sec-Fetch-Site': 'cross-site' }]
    for (const headers of crossSite) {
      const res = await addToCart(headers)
      expect(res.status).toBe(403)
      expect((await res.json()).error.code).toBe('cross_site_request')
      expect(res.headers.getSetCookie()).toEqual([]) // no visitor cart was made
    }
    expect((await addToCart({ Origin: server.url })).status).toBe(201)
  })

  it('refuses a form post without Origin with the HTML error page', async () => {
    const res = await fetch(`${server.url}/cart`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `intent=add&productId=${productId}`,
      redirect: 'manual',
    })
    expect(res.status).toBe(403)
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(res.headers.getSetCookie()).toEqual([])
  })
})
