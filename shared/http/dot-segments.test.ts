import { request } from 'node:http'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveOnSocket } from '../../tests/support/http.ts'
import { hasDotSegment, refuseDotSegments } from './dot-segments.server.ts'

describe('refuseDotSegments, on a real socket', () => {
  const app = new Hono().use(refuseDotSegments())
  app.get('/products', (c) => c.text('page'))
  app.get('/api/auth/me', (c) => c.json({ me: 'private' }))
  app.get('/assets/app.js', (c) => c.text('asset'))
  let served: Awaited<ReturnType<typeof serveOnSocket>>
  beforeAll(async () => {
    served = await serveOnSocket(app.fetch)
  })
  afterAll(() => served.close())

  /** As written: fetch() would resolve the dot segments itself. */
  const statusOf = (target: string) =>
    new Promise<number>((resolve, reject) =>
      request(served.url, { path: target }, (res) => resolve(res.resume().statusCode!))
        .on('error', reject)
        .end(),
    )

  it("answers a target with a dot segment 400, rather than the route it resolves to (an API under a page's address)", async () => {
    for (const target of [
      '/products/../api/auth/me',
      '/products/%2e%2e/api/auth/me',
      '/products/%2E%2e/api/auth/me',
      '/products/.%2e/api/auth/me',
      '/./products',
      '/assets/./app.js',
      '/products/.',
      '/products/..?q=1',
    ])
      expect([target, await statusOf(target)]).toEqual([target, 400])
  })

  it('passes every other target, dots inside a segment included', async () => {
    expect(await statusOf('/products')).toBe(200)
    expect(await statusOf('/assets/app.js')).toBe(200)
    expect(await statusOf('/products?q=../..')).toBe(200)
    expect(await statusOf('/assets/app.js?v=1.2')).toBe(200)
  })
})

describe('hasDotSegment', () => {
  it('reads the path of an origin-form or absolute-form target only', () => {
    expect(hasDotSegment('http://shop.example/products/%2e%2e/api/x')).toBe(true)
    expect(hasDotSegment('http://shop.example/products')).toBe(false)
    expect(hasDotSegment('http://shop.example./products')).toBe(false)
    expect(hasDotSegment('/a/..b/c...d/.e')).toBe(false)
    expect(hasDotSegment('/search?q=..#..')).toBe(false)
  })
})
