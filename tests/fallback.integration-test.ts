import { createServer, request, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { serversFor, type ServerProcess } from './support/server-process.ts'

const start = serversFor(inject('builtRoot'))
const TOKEN = 'metrics-token-for-the-fallback-test'
const FALLBACK_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'"

// The app being moved off (a Next.js app, say): it serves whatever it is asked, and says so.
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = []
const oldApp = createServer(async (req, res) => {
  let body = ''
  for await (const chunk of req) body += chunk
  seen.push({ method: req.method!, url: req.url!, headers: req.headers, body })
  if (req.url!.endsWith('/slow')) return void setTimeout(() => res.end('late'), 2000)
  if (req.url === '/away') {
    // Its own address with a path that begins `//`: rewritten to the store's, it must not name another host.
    res.writeHead(302, { Location: `http://${req.headers.host}//evil.example/x` })
    return void res.end()
  }
  if (req.url === '/own-csp') {
    res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Security-Policy': "script-src 'self' 'nonce-abc'" })
    return void res.end('<script nonce="abc">1</script>')
  }
  if (req.url === '/sign-in') {
    // A login that answers as apps do: a cookie and a redirect (and one trying to set the store's own session).
    res.writeHead(303, {
      Location: '/account',
      'Set-Cookie': [
        'legacy_session=new; Path=/; HttpOnly',
        'tessera_session=forged; Path=/',
        '__Host-tessera_session=forged; Path=/; Secure',
        '=tessera_cart=forged; Path=/',
      ],
      'Clear-Site-Data': '"cookies"',
    })
    return void res.end()
  }
  res.writeHead(req.method === 'POST' ? 201 : 200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Set-Cookie': 'legacy_session=abc; Path=/; HttpOnly',
    'X-Request-Id': 'the-old-apps-own-id',
  })
  res.end(`<h1>old app: ${req.method} ${req.url}</h1>${body}`)
})
beforeAll(() => new Promise<void>((resolve) => oldApp.listen(0, '127.0.0.1', resolve)))
afterAll(
  () =>
    new Promise((resolve) => {
      oldApp.close(resolve)
      oldApp.closeAllConnections()
    }),
)

describe('FALLBACK_UPSTREAM: the app being moved off serves what Tessera does not own yet', () => {
  let server: ServerProcess
  beforeAll(async () => {
    server = await start({
      FALLBACK_UPSTREAM: `http://127.0.0.1:${(oldApp.address() as AddressInfo).port}`,
      FALLBACK_TIMEOUT_MS: '300',
      FALLBACK_CSP: FALLBACK_CSP,
      FALLBACK_REQUEST_HEADERS: 'X-Tenant',
      METRICS_TOKEN: TOKEN,
    })
  })

  it("proxies pages and API paths no domain has, with their query, and passes its cookies both ways (never Tessera's)", async () => {
    const page = await fetch(`${server.url}/blog/hello?ref=home`, {
      headers: { Cookie: 'legacy_session=abc; tessera_session=secret; __Host-tessera_session=secret; tessera_cart=c', 'X-Request-Id': 'visit-42' },
    })
    expect(page.status).toBe(200)
    // The store's request id, as its log line says, never the old app's own.
    expect(page.headers.get('x-request-id')).toBe('visit-42')
    expect(await page.text()).toContain('old app: GET /blog/hello?ref=home')
    expect(page.headers.get('set-cookie')).toContain('legacy_session=abc')
    expect(seen.at(-1)!.headers.cookie).toBe('legacy_session=abc')
    // Shaped by the visitor's cookies and setting one, with no caching of its own: kept out of shared caches.
    expect(page.headers.get('cache-control')).toBe('private, no-store')
    const anonymous = await fetch(`${server.url}/blog/hello`)
    expect(anonymous.headers.get('cache-control')).toBe('private, no-store') // it still sets a cookie

    const api = await fetch(`${server.url}/api/legacy/things`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"n":1}' })
    expect(api.status).toBe(201)
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/api/legacy/things', body: '{"n":1}' })
  })

  it('passes what a Next.js app needs (its credentials, Server Actions and RSC headers), never its internal ones nor the store’s', async () => {
    const nextHeaders = {
      Authorization: 'Bearer its-own-token',
      'Next-Action': '7f3a9c',
      RSC: '1',
      'Next-Router-State-Tree': '%5B%22%22%5D',
      'Next-Router-Prefetch': '1',
      'Next-Url': '/blog',
    }
    const res = await fetch(`${server.url}/blog/hello`, {
      headers: { ...nextHeaders, Origin: server.url, 'X-Middleware-Subrequest': 'middleware', 'X-Tessera-User-Id': '1' },
    })
    expect(res.status).toBe(200)
    const { headers } = seen.at(-1)!
    for (const [name, value] of Object.entries(nextHeaders)) expect([name, headers[name.toLowerCase()]]).toEqual([name, value])
    expect(headers.origin).toBe(server.url)
    expect([headers['x-middleware-subrequest'], headers['x-tessera-user-id']]).toEqual([undefined, undefined])
  })

  it('passes the headers of your own FALLBACK_REQUEST_HEADERS names, and no other', async () => {
    const res = await fetch(`${server.url}/blog/hello`, { headers: { 'X-Tenant': 'north', 'X-Region': 'eu' } })
    expect(res.status).toBe(200)
    const { headers } = seen.at(-1)!
    expect([headers['x-tenant'], headers['x-region']]).toEqual(['north', undefined])
  })

  it('refuses a WebSocket plainly (501), which fetch cannot carry, instead of the old app answering a bare GET', async () => {
    const before = seen.length
    const headers = { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' }
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${server.url}/socket`, { headers }, (res) => {
        let body = ''
        res.on('data', (chunk) => (body += chunk)).on('end', () => resolve({ status: res.statusCode!, body }))
      })
      req
        .on('upgrade', () => reject(new Error('upgraded')))
        .on('error', reject)
        .end()
    })
    expect([answer.status, JSON.parse(answer.body).error.code]).toEqual([501, 'websocket_not_proxied'])
    expect(seen.length).toBe(before)
  })

  it("gives the old app's pages FALLBACK_CSP where they send no policy of their own, its own policy standing", async () => {
    expect((await fetch(`${server.url}/blog/hello`)).headers.get('content-security-policy')).toBe(FALLBACK_CSP)
    expect((await fetch(`${server.url}/own-csp`)).headers.get('content-security-policy')).toBe("script-src 'self' 'nonce-abc'")
  })

  it("brings the old app's redirects back as it sent them, with its cookies, but never one named as Tessera's", async () => {
    const res = await fetch(`${server.url}/sign-in`, {
      method: 'POST',
      headers: { Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'user=a',
      redirect: 'manual',
    })
    expect([res.status, res.headers.get('location')]).toEqual([303, '/account'])
    // Nor one without a name, which a browser would send back as `tessera_cart=forged`; nor a wipe of the store's cookies.
    expect(res.headers.getSetCookie()).toEqual(['legacy_session=new; Path=/; HttpOnly'])
    expect(res.headers.get('clear-site-data')).toBeNull()
  })

  it("keeps a redirect to the old app's own address on this site, never as a protocol-relative one to another host", async () => {
    const res = await fetch(`${server.url}/away`, { redirect: 'manual' })
    expect([res.status, res.headers.get('location')]).toEqual([302, '/evil.example/x'])
  })

  it('keeps every path a domain owns, whatever the old app has there: a moved route takes over its URL', async () => {
    const before = seen.length
    for (const path of ['/products', '/api/products?limit=1', '/demo', '/healthz']) expect((await fetch(`${server.url}${path}`)).status).toBe(200)
    expect((await fetch(`${server.url}/demo`)).headers.get('content-type')).toMatch(/^text\/html/)
    // A wrong method on a path Tessera owns is still Tessera's answer (405), not the old app's.
    expect((await fetch(`${server.url}/api/products`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(405)
    // Nor is the same path written another way the old app's (its copy of a moved API would still answer there).
    for (const path of ['/api/products/', '/api//products', '/api/products//'])
      expect([path, (await fetch(`${server.url}${path}`)).status]).toEqual([path, 404])
    expect(seen.length).toBe(before)
  })

  it('answers 504 when the old app is too slow: the error page for a page, JSON under /api', async () => {
    const page = await fetch(`${server.url}/slow`)
    expect(page.status).toBe(504)
    expect(await page.text()).toContain('This page could not be loaded')
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'self'; script-src 'self'(?! 'unsafe-inline')/) // the store's page: its policy, not FALLBACK_CSP
    const api = await fetch(`${server.url}/api/legacy/slow`)
    expect(api.status).toBe(504)
    expect((await api.json()).error.code).toBe('upstream_timeout')
  })

  it('counts and times its calls in /metrics, by upstream', async () => {
    const text = await (await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text()
    expect(text).toMatch(/upstream_request_duration_seconds_count\{upstream="fallback",status="200"\} [1-9]/)
    expect(text).toMatch(/upstream_request_duration_seconds_count\{upstream="fallback",status="201"\} 1/)
    expect(text).toMatch(/upstream_failures_total\{upstream="fallback",kind="timeout"\} 2/)
    // The old app's pages under their own route label, not with the 404s of paths nobody serves.
    expect(text).toMatch(/http_requests_total\{method="GET",route="fallback",status="200"\} [1-9]/)
    expect(text).not.toMatch(/route="unmatched",status="200"/)
  })
})

describe('FALLBACK_UPSTREAM with metrics off the public port', () => {
  it("never hands /metrics to the old app: a scraper's bearer token stays the store's", async () => {
    const server = await start({ FALLBACK_UPSTREAM: `http://127.0.0.1:${(oldApp.address() as AddressInfo).port}`, METRICS: 'off' })
    const asked = seen.length
    const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer scraper-token' } })
    expect(res.status).toBe(404)
    await res.body?.cancel()
    expect(seen.slice(asked).map((request) => request.url)).toEqual([])
  })
})

describe('without FALLBACK_UPSTREAM', () => {
  it('answers an unknown path with its own 404 page', async () => {
    const server = await start()
    const res = await fetch(`${server.url}/blog/hello`)
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('Page not found')
  })
})
