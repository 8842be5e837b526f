import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { requestId } from './request-id.server.ts'

const app = new Hono().use(requestId()).get('/', (c) => c.text(c.get('requestId')))
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('requestId', () => {
  it('gives each request a new id, on the context and in X-Request-Id', async () => {
    const [a, b] = await Promise.all([app.request('/'), app.request('/')])
    const id = a.headers.get('X-Request-Id')!
    expect(id).toMatch(uuid)
    expect(await a.text()).toBe(id)
    expect(b.headers.get('X-Request-Id')).not.toBe(id)
  })

  it("keeps a caller's id that is short and safe in a log line and a header", async () => {
    const res = await app.request('/', { headers: { 'X-Request-Id': 'lb-7f3a_9=' } })
    expect(res.headers.get('X-Request-Id')).toBe('lb-7f3a_9=')
  })

  it('replaces one that is too long or holds other characters (a forged log line, say)', async () => {
    for (const given of ['x'.repeat(256), 'a b', 'id"}\\n{"level":"error', '']) {
      const res = await app.request('/', { headers: { 'X-Request-Id': given } })
      expect(res.headers.get('X-Request-Id')).toMatch(uuid)
    }
  })
})
