import { zValidator } from '@hono/zod-validator'
import { Hono } from 'hono'
import { hc } from 'hono/client'
import createClient from 'openapi-fetch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { loadConfig } from '#shared/config'
import { createLogger } from '#shared/log'
import { describeError, requestId, type AppEnv } from '#shared/http'
import { serveOnSocket } from '../../tests/support/http.ts'
import { defineRemoteDomain, remoteFetch } from './remote-domain.server.ts'
import { verifyIdentity } from './signed-identity.ts'

const SECRET = 'a-secret-shared-with-the-reviews-service-only'
const from = (client: string) => ({ headers: { 'X-Forwarded-For': client } })
const seen: Headers[] = []

/** The reviews service: its own Hono app with zod schemas, whose type the store imports. */
const reviewsService = new Hono()
  .use(async (c, next) => {
    seen.push(c.req.raw.headers)
    await next()
  })
  .get('/by-product/:id', (c) => {
    const who = verifyIdentity(SECRET, { method: 'GET', path: new URL(c.req.url).pathname, headers: c.req.raw.headers })
    return c.json({ productId: Number(c.req.param('id')), stars: [5, 3], who }, 200)
  })
  .post('/by-product/:id', zValidator('json', z.object({ stars: z.number().int().min(1).max(5), text: z.string() })), (c) =>
    c.json({ id: 1, ...c.req.valid('json') }, 201),
  )
type ReviewsApp = typeof reviewsService

/** What openapi-typescript generates from the same service's OpenAPI document (trimmed to one path). */
interface paths {
  '/api/reviews/by-product/{id}': {
    get: {
      parameters: { path: { id: number } }
      responses: { 200: { content: { 'application/json': { productId: number; stars: number[] } } } }
    }
  }
}

/**
 * An app with what the platform gives every request (entry-server.tsx): the context, errors as
 * JSON; behind one proxy of its own, so each request's client is the X-Forwarded-For it sends (`from`).
 */
function platform() {
  const app = new Hono<AppEnv>().use(requestId(), async (c, next) => {
    c.set('config', loadConfig({ NODE_ENV: 'test', DATABASE_PATH: ':memory:', TRUST_PROXY: '1' }))
    c.set('log', createLogger({ level: 'silent' }))
    c.set('identify', async () => ({ id: '7', role: 'customer' }))
    await next()
  })
  app.onError((err, c) => {
    const { status, body, headers } = describeError(err)
    return c.json(body, status, headers)
  })
  return app
}

const closers: (() => Promise<unknown>)[] = []
afterAll(() => Promise.all(closers.map((close) => close())))

/** The store: the remote domain, a BFF endpoint (hc) and a loader (openapi-fetch) calling it; `who` is signed in. */
async function store(upstream: string, options: { timeoutMs?: number; breaker?: { failures: number; openMs: number } } = {}) {
  const domain = defineRemoteDomain({ name: 'reviews', upstream, secret: SECRET, ...options })
  const app = platform()
  app.route('/api/reviews', domain.apis.reviews!)
  app.get('/api/shop/products/:id', async (c) => {
    const reviews = hc<ReviewsApp>('http://localhost/api/reviews', { fetch: remoteFetch(c, 'reviews') })
    const res = await reviews['by-product'][':id'].$get({ param: { id: c.req.param('id') } })
    const { productId, stars, who } = await res.json()
    return c.json({ productId, average: stars.reduce((sum, n) => sum + n, 0) / stars.length, who })
  })
  // A page loader's body: `load: ({ c, params }) => …` (openapi-fetch, from the service's OpenAPI types).
  app.get('/products/:id/reviews', async (c) => {
    const reviews = createClient<paths>({ baseUrl: 'http://localhost', fetch: remoteFetch(c, 'reviews') })
    const { data, error } = await reviews.GET('/api/reviews/by-product/{id}', { params: { path: { id: Number(c.req.param('id')) } } })
    if (error !== undefined) throw new Error('no reviews')
    return c.text(`${data.stars.length} reviews of product ${data.productId}`)
  })
  const served = await serveOnSocket(app.fetch)
  closers.push(served.close)
  return served.url
}

describe('remoteFetch: server code calling a remote domain through a typed client', () => {
  let url: string
  beforeAll(async () => {
    const service = await serveOnSocket(reviewsService.fetch)
    closers.push(service.close)
    url = await store(`${service.url}/`)
  })

  it("gets the service's typed data through hc (a BFF endpoint), and the service verifies who it is for, without the shopper's cookies", async () => {
    const res = await fetch(`${url}/api/shop/products/3`, { headers: { Cookie: 'tessera_session=secret; other=1' } })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toEqual({ productId: 3, average: 4, who: { userId: '7', role: 'customer', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) } })
    expect(res.headers.get('x-request-id')).toBe(body.who.requestId) // the store's request id, signed
    const headers = seen.at(-1)!
    expect(headers.get('cookie')).toBeNull()
    expect(headers.get('x-forwarded-for')).toBeTruthy()
  })

  it('gets typed data through openapi-fetch (a loader)', async () => {
    const res = await fetch(`${url}/products/5/reviews`)
    expect(await res.text()).toBe('2 reviews of product 5')
    expect(seen.at(-1)!.get('x-tessera-user-id')).toBe('7')
  })

  it('sends bodies, and keeps only the allow-listed headers of the call itself', async () => {
    const app = platform().post('/', async (c) => {
      const reviews = hc<ReviewsApp>('http://localhost/api/reviews', {
        fetch: remoteFetch(c, 'reviews'),
        headers: { Cookie: 'tessera_session=leaked', 'Accept-Language': 'fr' },
      })
      const res = await reviews['by-product'][':id'].$post({ param: { id: '3' }, json: { stars: 4, text: 'ça va' } })
      return c.json(await res.json(), res.status)
    })
    const res = await app.request('/', { method: 'POST' })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ id: 1, stars: 4, text: 'ça va' })
    expect(seen.at(-1)!.get('cookie')).toBeNull()
    expect(seen.at(-1)!.get('accept-language')).toBe('fr')
  })

  it('refuses an address outside /api/<name>, and a name no remote domain has', async () => {
    const app = platform().get('/', async (c) =>
      c.text(String(await remoteFetch(c, 'reviews')('http://localhost/api/other/x').catch((err: Error) => err.message))),
    )
    expect(await (await app.request('/')).text()).toBe('remoteFetch("reviews") calls /api/reviews/…, not /api/other/x.')
    const unknown = platform().get('/', (c) => {
      remoteFetch(c, 'nobody')
      return c.text('')
    })
    expect((await unknown.request('/')).status).toBe(500)
  })

  it("stops when its caller aborts: the caller's reason, and no failure counted against the service", async () => {
    const sleepy = await serveOnSocket(() => new Promise((resolve) => setTimeout(() => resolve(new Response('{"stars":[]}')), 1000)))
    closers.push(sleepy.close)
    const domain = defineRemoteDomain({ name: 'reviews', upstream: sleepy.url, timeoutMs: 5000, breaker: { failures: 1, openMs: 60_000 } })
    const app = platform()
    app.route('/api/reviews', domain.apis.reviews!)
    app.get('/gave-up', async (c) => {
      const reason = await remoteFetch(c, 'reviews')('/api/reviews/by-product/3', { signal: AbortSignal.timeout(50) }).then(
        () => 'answered',
        (err: Error) => err.name,
      )
      return c.text(reason)
    })
    const started = performance.now()
    expect(await (await app.request('/gave-up', from('203.0.113.1'))).text()).toBe('TimeoutError') // AbortSignal.timeout's reason, not a 504
    expect(performance.now() - started).toBeLessThan(900)
    expect(await (await app.request('/gave-up', from('203.0.113.2'))).text()).toBe('TimeoutError')
    // A breaker that opens at the first failures of two clients is still closed: the call reaches the service.
    expect((await app.request('/api/reviews/by-product/3')).status).toBe(200)
  })

  it('answers as the proxy does when the service fails: 504 slow, 502 down, then 503 with the circuit open', async () => {
    const sleepy = await serveOnSocket(() => new Promise((resolve) => setTimeout(() => resolve(new Response('late')), 1000)))
    closers.push(sleepy.close)
    const slow = await fetch(`${await store(sleepy.url, { timeoutMs: 150 })}/api/shop/products/3`)
    expect(slow.status).toBe(504)
    expect((await slow.json()).error.code).toBe('upstream_timeout')

    const base = await store('http://127.0.0.1:9', { breaker: { failures: 2, openMs: 60_000 } })
    for (const client of ['203.0.113.1', '203.0.113.2']) {
      const down = await fetch(`${base}/api/shop/products/3`, from(client))
      expect(down.status).toBe(502)
      expect((await down.json()).error.code).toBe('upstream_error')
    }
    const open = await fetch(`${base}/api/shop/products/3`)
    expect(open.status).toBe(503)
    expect(open.headers.get('retry-after')).toBe('10')
    expect((await open.json()).error.code).toBe('upstream_unavailable')
    // The proxy and the typed client share the domain's breaker.
    expect((await fetch(`${base}/api/reviews/by-product/3`)).status).toBe(503)
  })
})
