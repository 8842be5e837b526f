import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { verifyIdentity } from '#shared/gateway'
import { serversFor } from './support/server-process.ts'
import { timedGet } from './support/http.ts'
import { logIn } from './support/sessions.ts'

const root = inject('builtRoot')
const start = serversFor(root, { ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'admin password' })
const SECRET = 'the-remote-demo-service-and-the-store-share-this'

// The "service": answers with what it was sent, and who the store says it is from.
const seen: { url: string; headers: IncomingMessage['headers']; body: string }[] = []
const service = createServer(async (req, res) => {
  let body = ''
  for await (const chunk of req) body += chunk
  seen.push({ url: req.url!, headers: req.headers, body })
  if (req.url!.endsWith('/midclose')) {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '100000' })
    res.write('only the start')
    return void setTimeout(() => res.socket?.destroy(), 50)
  }
  if (req.url!.endsWith('/drip')) {
    // A service's own security policy, which must not loosen the store's on its origin.
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Security-Policy': "script-src 'unsafe-inline'", 'X-Frame-Options': 'ALLOWALL' })
    res.write('first ')
    return void setTimeout(() => res.end('last'), 500)
  }
  const who = verifyIdentity(SECRET, { method: req.method!, path: new URL(req.url!, 'http://x').pathname, headers: req.headers })
  res.writeHead(req.method === 'POST' ? 201 : 200, { 'Content-Type': 'application/json' })
  res.end(JSON.stringify({ url: req.url, body, who }))
})
afterAll(
  () =>
    new Promise((resolve) => {
      service.close(resolve)
      service.closeAllConnections()
    }),
)

describe('a domain folder holding only defineRemoteDomain, in the production build', () => {
  it('mounts /api/<name>/* as a proxy to its service, with the signed-in user in verified headers', async () => {
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve))
    const server = await start({ REMOTE_DEMO_URL: `http://127.0.0.1:${(service.address() as AddressInfo).port}/svc`, REMOTE_DEMO_SECRET: SECRET })

    const anonymous = await fetch(`${server.url}/api/remote-demo/things?page=2`)
    expect(anonymous.status).toBe(200)
    expect(await anonymous.json()).toMatchObject({ url: '/svc/things?page=2', who: { userId: null, role: null } })

    const cookie = await logIn(server.url, { email: 'admin@example.com', password: 'admin password' })
    const created = await fetch(`${server.url}/api/remote-demo/things`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/json' },
      body: '{"name":"x"}',
    })
    expect(created.status).toBe(201)
    const answer = (await created.json()) as { body: string; who: { userId: string; role: string } }
    expect(answer.body).toBe('{"name":"x"}')
    expect(answer.who).toMatchObject({ userId: expect.stringMatching(/^\d+$/), role: 'admin' })
    expect(seen.at(-1)!.headers.cookie).toBeUndefined() // the session never reaches the service

    // A page's loader calls the same domain through remoteFetch, as the signed-in user.
    const page = await fetch(`${server.url}/demo/remote/7`, { headers: { Cookie: cookie } })
    expect(page.status).toBe(200)
    expect(await page.text()).toMatch(/The service answered (<!-- -->)?\/svc\/things\/7(<!-- -->)? for user (<!-- -->)?\d+/)
    expect(seen.at(-1)!.headers.cookie).toBeUndefined()

    // Streamed through the whole app (its ETags and compression included): the first bytes before the service has finished.
    // Gzipped too (every browser asks for it), as a stream, never read whole first.
    for (const encoding of ['identity', 'gzip']) {
      const drip = await timedGet(`${server.url}/api/remote-demo/drip`, { 'Accept-Encoding': encoding })
      expect([drip.status, drip.body, drip.headers['content-encoding']]).toEqual([200, 'first last', encoding === 'gzip' ? 'gzip' : undefined])
      expect(drip.chunks[0]!.at).toBeLessThan(400)
      // The store's security headers, not the service's.
      expect([drip.headers['content-security-policy'], drip.headers['x-frame-options']]).toEqual([expect.stringContaining("default-src 'self'"), 'DENY'])
    }
    // A service that dies mid-answer: the client's transfer breaks off at once, as the service's did
    // (its head already sent, nothing else is honest), rather than hanging until a timeout.
    const started = performance.now()
    await expect(timedGet(`${server.url}/api/remote-demo/midclose`)).rejects.toThrow()
    expect(performance.now() - started).toBeLessThan(2000)
    // Gzipped too; and said in one JSON log line each, never a raw stack on stderr.
    const gzipped = await fetch(`${server.url}/api/remote-demo/midclose`, { headers: { 'Accept-Encoding': 'gzip' } })
    expect(gzipped.headers.get('content-encoding')).toBe('gzip')
    await expect(gzipped.arrayBuffer()).rejects.toThrow()
    await new Promise((resolve) => setTimeout(resolve, 100))
    const lines = server.output().trim().split('\n')
    expect(lines.filter((line) => !line.startsWith('{"'))).toEqual([])
    expect(lines.filter((line) => line.includes('"msg":"upstream answer broke off"'))).toHaveLength(2)
  })

  it('answers 502 as JSON when its service is down', async () => {
    const server = await start({ REMOTE_DEMO_URL: 'http://127.0.0.1:9' })
    const res = await fetch(`${server.url}/api/remote-demo/things`)
    expect(res.status).toBe(502)
    expect(await res.json()).toMatchObject({ error: { code: 'upstream_error' } })
    // A page whose loader needs it shows the error page with the same status.
    const page = await fetch(`${server.url}/demo/remote/7`)
    expect(page.status).toBe(502)
    expect(page.headers.get('content-type')).toMatch(/text\/html/)
  })

  it('opens its circuit when the service fails for several visitors, never for one alone', async () => {
    const server = await start({ REMOTE_DEMO_URL: 'http://127.0.0.1:9', TRUST_PROXY: '1' })
    const get = (client: string) => fetch(`${server.url}/api/remote-demo/things`, { headers: { 'X-Forwarded-For': client } }).then((res) => res.status)
    for (let i = 0; i < 8; i++) expect(await get('203.0.113.66')).toBe(502) // each call still tried
    expect(await get('203.0.113.1')).toBe(502) // a second visitor confirms it: open
    expect(await get('203.0.113.2')).toBe(503)
  })
})
