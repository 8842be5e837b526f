import { createHash } from 'node:crypto'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { apiEtags } from './etag.server.ts'

const app = new Hono()
  .use('/api/*', apiEtags())
  .get('/api/thing', (c) => c.json({ name: 'mug', price: 1299 }, 200, { 'X-Own': 'kept' }))
  .get('/api/text', (c) => c.text('plain'))
  .get('/api/renewed', (c) => {
    c.header('Set-Cookie', 'session=renewed; HttpOnly')
    return c.json({ name: 'mug' })
  })
  .post('/api/thing', (c) => c.json({ created: true }, 201))
  .get('/api/missing', (c) => c.json({ error: { code: 'not_found', message: 'No such thing.' } }, 404))
const sha1 = (text: string) => `W/"${createHash('sha1').update(text).digest('hex')}"`

describe('apiEtags', () => {
  it("tags a JSON answer with the SHA-1 of its text (a weak tag), keeping the handler's status and headers", async () => {
    const res = await app.request('/api/thing')
    const text = await res.text()
    expect(text).toBe('{"name":"mug","price":1299}')
    expect(res.headers.get('ETag')).toBe(sha1(text))
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(res.headers.get('X-Own')).toBe('kept')
  })

  it('answers 304 with no body when If-None-Match matches, the answer when it does not', async () => {
    const tag = (await app.request('/api/thing')).headers.get('ETag')!
    const same = await app.request('/api/thing', { headers: { 'If-None-Match': tag } })
    expect(same.status).toBe(304)
    expect(await same.text()).toBe('')
    expect(same.headers.get('ETag')).toBe(tag)
    expect((await app.request('/api/thing', { headers: { 'If-None-Match': '"stale"' } })).status).toBe(200)
  })

  it('says on a 304 what its 200 varies by: Accept-Encoding (compressResponses marks every JSON answer)', async () => {
    const tag = (await app.request('/api/thing')).headers.get('ETag')!
    expect((await app.request('/api/thing', { headers: { 'If-None-Match': tag } })).headers.get('Vary')).toBe('Accept-Encoding')
  })

  it('tags no error: it is no representation to revalidate', async () => {
    const res = await app.request('/api/missing')
    expect(res.status).toBe(404)
    expect(res.headers.get('ETag')).toBeNull()
    expect((await app.request('/api/missing', { headers: { 'If-None-Match': '*' } })).status).toBe(404)
  })

  it('keeps Set-Cookie on a 304: a session renewed on a revalidation still reaches the client', async () => {
    const tag = (await app.request('/api/renewed')).headers.get('ETag')!
    const same = await app.request('/api/renewed', { headers: { 'If-None-Match': tag } })
    expect(same.status).toBe(304)
    expect(same.headers.get('Set-Cookie')).toBe('session=renewed; HttpOnly')
  })

  it('passes an answer without a tag on as it streams (a remote domain’s), and never tags a POST', async () => {
    let finish!: () => void
    const streaming = new Hono().use('/api/*', apiEtags()).get('/api/remote', () => {
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode('first part'))
          await new Promise<void>((resolve) => (finish = resolve))
          controller.close()
        },
      })
      return new Response(body, { headers: { 'Content-Type': 'text/plain' } })
    })
    // The head and the first bytes arrive while the upstream is still sending.
    const res = await streaming.request('/api/remote', { headers: { 'If-None-Match': '*' } })
    expect([res.status, res.headers.get('ETag')]).toEqual([200, null])
    const reader = res.body!.getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first part')
    finish()
    expect((await reader.read()).done).toBe(true)
    const created = await app.request('/api/thing', { method: 'POST' })
    expect(created.status).toBe(201)
    expect(created.headers.get('ETag')).toBeNull()
  })

  it('compares tags weakly, in a list', async () => {
    const tag = (await app.request('/api/thing')).headers.get('ETag')!
    expect((await app.request('/api/thing', { headers: { 'If-None-Match': `"other", W/${tag}` } })).status).toBe(304)
  })
})
