import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveOnSocket, timedGet } from './support/http.ts'
import { createTestApp } from './support/test-app.ts'

/**
 * Visitors who leave while a page streams: at any moment (before the headers, between the shell
 * and a deferred part, as the part arrives), with and without gzip. Each must cost the server
 * nothing: no error escapes to the process (one would end it: Node 20's Readable.toWeb threw one
 * when a part arrived after the visitor left, nodejs/node#54205; shared/http/web-stream.test.ts
 * replays that exact sequence), and the next visitor is served.
 */
describe('visitors leaving mid-stream', () => {
  let app: Awaited<ReturnType<typeof createTestApp>>
  let server: Awaited<ReturnType<typeof serveOnSocket>>
  const escaped: unknown[] = []
  const note = (error: unknown) => escaped.push(error)

  beforeAll(async () => {
    app = await createTestApp()
    server = await serveOnSocket(app.app.fetch)
    process.on('uncaughtExceptionMonitor', note)
  })
  afterAll(async () => {
    process.off('uncaughtExceptionMonitor', note)
    await server.close()
    await app.close()
  })

  /** A request for a page whose slow part takes 0-3 ms, dropped 0-4 ms after it was sent or its first bytes came. */
  const leaveEarly = (gzip: boolean) =>
    new Promise<void>((resolve) => {
      const req = request(`${server.url}/demo/slow?ms=${Math.floor(Math.random() * 4)}`, { headers: gzip ? { 'Accept-Encoding': 'gzip' } : {} }, (res) => {
        res.once('data', () => setTimeout(() => req.destroy(), Math.random() * 4))
        res.on('end', resolve)
        res.on('close', resolve)
      })
      req.on('error', () => resolve())
      req.on('close', () => resolve())
      if (Math.random() < 0.3) setTimeout(() => req.destroy(), Math.random() * 4)
      req.end()
    })

  it('loses no error to the process and serves the next visitor whole', { timeout: 30_000 }, async () => {
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(Array.from({ length: 32 }, (_, i) => leaveEarly(i % 2 === 0)))
    }
    // Anything still in flight settles before the check.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(escaped).toEqual([])
    const page = await timedGet(`${server.url}/demo/slow?ms=5`, { 'Accept-Encoding': 'gzip' })
    expect(page.status).toBe(200)
    expect(page.body).toContain('The slow part has arrived.')
  })
})
