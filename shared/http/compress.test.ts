import { Hono } from 'hono'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { acceptsGzip, compressResponses } from './compress.server.ts'

describe('acceptsGzip', () => {
  it.each([
    ['gzip', true],
    ['gzip;q=0.5', true],
    ['deflate, gzip;q=0.1', true],
    ['*', true],
    ['gzip;q=0', false],
    ['gzip;q=0.0, *', false],
    ['deflate', false],
    ['identity', false],
    // RFC 9110 §8.4.1.3: x-gzip is gzip.
    ['x-gzip', true],
    ['X-GZIP;q=0.5', true],
    ['x-gzip;q=0', false],
    ['gzip;q=0, x-gzip', false],
  ])('%s → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected)
  })
})

/** A streamed page: one chunk now, one after `ms`. */
function slowStream(ms: number) {
  const encoder = new TextEncoder()
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode('<p>shell</p>'))
      await new Promise((resolve) => setTimeout(resolve, ms))
      controller.enqueue(encoder.encode('<p>slow</p>'))
      controller.close()
    },
  })
}

describe('compressResponses', () => {
  const app = new Hono()
    .use(compressResponses())
    .get('/stream', (c) => c.body(slowStream(200), 200, { 'Content-Type': 'text/html; charset=utf-8' }))
    .get('/whole', (c) => c.json({ text: 'x'.repeat(5000) }))
    .get('/small', (c) => c.json({ ok: true }))
    .get('/no-transform', (c) => c.json({ text: 'x'.repeat(5000) }, 200, { 'Cache-Control': 'no-transform' }))
    .get('/tagged', (c) => c.json({ text: 'x'.repeat(5000) }, 200, { ETag: '"v1"' }))

  it('gzips a stream and flushes the shell before the slow part', async () => {
    const res = await app.request('/stream', { headers: { 'Accept-Encoding': 'gzip' } })
    expect(res.headers.get('Content-Encoding')).toBe('gzip')
    const reader = res.body!.getReader()
    const first = await reader.read()
    expect(gunzipSync(first.value!, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).toString()).toBe('<p>shell</p>')
  })

  it('sends a stream as is to a client without gzip, never buffered', async () => {
    const res = await app.request('/stream', { headers: { 'Accept-Encoding': 'deflate' } })
    expect(res.headers.get('Content-Encoding')).toBeNull()
    const first = await res.body!.getReader().read()
    expect(new TextDecoder().decode(first.value)).toBe('<p>shell</p>')
  })

  it("answers a HEAD with its GET's headers: Content-Encoding, Vary and the gzipped Content-Length, no body", async () => {
    for (const acceptEncoding of ['gzip', 'identity']) {
      const headers = { 'Accept-Encoding': acceptEncoding }
      const get = await app.request('/whole', { headers })
      const bytes = (await get.arrayBuffer()).byteLength
      const head = await app.request('/whole', { method: 'HEAD', headers })
      expect([acceptEncoding, head.headers.get('Content-Encoding'), head.headers.get('Vary')]).toEqual([
        acceptEncoding,
        get.headers.get('Content-Encoding'),
        'Accept-Encoding',
      ])
      // The GET's length is the server's to count (none on app.request's): the bytes it sends.
      if (acceptEncoding === 'gzip') expect(head.headers.get('Content-Length')).toBe(String(bytes))
      expect(await head.text()).toBe('')
    }
  })

  it('answers a HEAD of a stream as gzipped, without a length, as its GET', async () => {
    const head = await app.request('/stream', { method: 'HEAD', headers: { 'Accept-Encoding': 'gzip' } })
    expect([head.headers.get('Content-Encoding'), head.headers.get('Content-Length')]).toEqual(['gzip', null])
    expect(await head.text()).toBe('')
  })

  it('gzips a whole body of 1 KiB or more, and says it varies by Accept-Encoding', async () => {
    const res = await app.request('/whole', { headers: { 'Accept-Encoding': 'gzip' } })
    expect(res.headers.get('Content-Encoding')).toBe('gzip')
    expect(res.headers.get('Vary')).toBe('Accept-Encoding')
    expect(JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).text).toHaveLength(5000)
  })

  it('leaves small bodies, clients without gzip, and no-transform answers as they are', async () => {
    const small = await app.request('/small', { headers: { 'Accept-Encoding': 'gzip' } })
    expect(small.headers.get('Content-Encoding')).toBeNull()
    expect(await small.json()).toEqual({ ok: true })
    const plain = await app.request('/whole')
    expect(plain.headers.get('Content-Encoding')).toBeNull()
    expect(plain.headers.get('Vary')).toBe('Accept-Encoding')
    const kept = await app.request('/no-transform', { headers: { 'Accept-Encoding': 'gzip' } })
    expect(kept.headers.get('Content-Encoding')).toBeNull()
  })

  it('weakens the ETag of what it gzips (same meaning, other bytes)', async () => {
    const res = await app.request('/tagged', { headers: { 'Accept-Encoding': 'gzip' } })
    expect(res.headers.get('ETag')).toBe('W/"v1"')
  })
})
