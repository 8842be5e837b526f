import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from './support/test-app.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  testApp = await createTestApp()
})
afterAll(() => testApp.close())

describe('a HEAD for a JSON answer', () => {
  it("says what its GET would: the same status, type and Content-Length (the GET's body in bytes), no body", async () => {
    // Answers of c.json(): an API's, its errors (404, 405), the health checks, the API description.
    for (const path of ['/api/products/1', '/api/products?limit=3', '/api/no-such-api', '/api/auth/login', '/healthz', '/readyz', '/api/openapi.json']) {
      const got = await testApp.app.request(path)
      const bytes = (await got.arrayBuffer()).byteLength
      const head = await testApp.app.request(path, { method: 'HEAD' })
      expect([path, head.status, head.headers.get('Content-Type'), head.headers.get('Content-Length')]).toEqual([
        path,
        got.status,
        got.headers.get('Content-Type'),
        String(bytes),
      ])
      expect(await head.text()).toBe('')
    }
  })

  it('keeps its ETag, and a matching If-None-Match is still a 304 without a length', async () => {
    const head = await testApp.app.request('/api/products/1', { method: 'HEAD' })
    const tag = head.headers.get('ETag')
    expect(tag).toMatch(/^W\/"/)
    const again = await testApp.app.request('/api/products/1', { method: 'HEAD', headers: { 'If-None-Match': tag! } })
    expect([again.status, again.headers.get('Content-Length')]).toEqual([304, null])
  })

  it('names the Content-Encoding and gzipped Content-Length its GET would for the same Accept-Encoding', async () => {
    const headers = { 'Accept-Encoding': 'gzip, deflate' }
    const got = await testApp.app.request('/api/products?limit=50', { headers })
    const head = await testApp.app.request('/api/products?limit=50', { method: 'HEAD', headers })
    expect(got.headers.get('Content-Encoding')).toBe('gzip')
    expect([head.status, head.headers.get('Content-Encoding'), head.headers.get('Vary'), head.headers.get('Content-Length')]).toEqual([
      200,
      'gzip',
      got.headers.get('Vary'),
      String((await got.arrayBuffer()).byteLength),
    ])
  })
})

describe('a HEAD for a streamed page', () => {
  it('names the Content-Encoding its GET has (gzip), with no length, and renders no body', async () => {
    // Its slow part five seconds away: streamed for sure, and a HEAD waits for none of it.
    const head = await testApp.app.request('/demo/slow?ms=5000', { method: 'HEAD', headers: { 'Accept-Encoding': 'gzip' } })
    expect([head.status, head.headers.get('Content-Encoding'), head.headers.get('Vary'), head.headers.get('Content-Length')]).toEqual([
      200,
      'gzip',
      'X-Tessera-Data, Accept-Encoding',
      null,
    ])
    expect(await head.text()).toBe('')
    const plain = await testApp.app.request('/demo/slow?ms=5000', { method: 'HEAD', headers: { 'Accept-Encoding': 'identity' } })
    expect([plain.status, plain.headers.get('Content-Encoding')]).toEqual([200, null])
  })
})
