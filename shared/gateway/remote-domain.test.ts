import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { requestId, type AppEnv } from '#shared/http'
import { loadConfig } from '#shared/config'
import { createLogger } from '#shared/log'
import { serveOnSocket, timedGet } from '../../tests/support/http.ts'
import { defineRemoteDomain, type RemoteDomainDefinition } from './remote-domain.server.ts'
import { verifyIdentity } from './signed-identity.ts'

const SECRET = 'a-secret-shared-with-the-reviews-service-only'
/** The store behind one proxy of its own: each request's client is the X-Forwarded-For it sends (`from`). */
const BEHIND_PROXY = { TRUST_PROXY: '1' }
const from = (client: string) => ({ headers: { 'X-Forwarded-For': client } })
type Seen = { method: string; url: string; headers: IncomingMessage['headers']; body: string }

/** A small upstream: records what it got, then lets `handle` answer (an echo by default). */
async function upstream(handle?: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void) {
  const requests: Seen[] = []
  const server = createServer(async (req, res) => {
    let body = ''
    try {
      for await (const chunk of req) body += chunk
    } catch {
      return // the store cut the call (its client hung up)
    }
    const seen = { method: req.method!, url: req.url!, headers: req.headers, body }
    requests.push(seen)
    if (handle) return handle(req, res, seen)
    res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': 'upstream=1', 'Keep-Alive': 'timeout=77' })
    res.end(JSON.stringify({ method: seen.method, url: seen.url, body }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server }
}

const closers: (() => Promise<unknown>)[] = []
afterAll(() => Promise.all(closers.map((close) => close())))
const closing = (server: Server) =>
  closers.push(
    () =>
      new Promise((resolve) => {
        server.close(resolve)
        server.closeAllConnections()
      }),
  )

/** What the stores below logged, one JSON line each. */
const logged: string[] = []

/** The store with one remote domain, on a real socket; `who` is the signed-in user. */
async function store(definition: Omit<RemoteDomainDefinition, 'name'>, who: { id: string; role: string } | null = null, env: Record<string, string> = {}) {
  const domain = defineRemoteDomain({ name: 'reviews', ...definition })
  const app = new Hono<AppEnv>().use(requestId(), async (c, next) => {
    c.set('config', loadConfig({ NODE_ENV: 'test', DATABASE_PATH: ':memory:', ...env }))
    c.set('log', createLogger({ level: 'warn', write: (line) => logged.push(line) }))
    c.set('identify', async () => who)
    await next()
  })
  app.route('/api/reviews', domain.apis.reviews!)
  const served = await serveOnSocket(app.fetch)
  closers.push(served.close)
  return served.url
}

describe('a remote domain', () => {
  let echo: Awaited<ReturnType<typeof upstream>>
  let url: string
  beforeAll(async () => {
    echo = await upstream()
    closing(echo.server)
    url = await store({ upstream: `${echo.url}/v1`, secret: SECRET }, { id: '7', role: 'customer' })
  })

  it('forwards every method with its path, query and body, and brings the status and body back', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      const body = method === 'GET' ? undefined : JSON.stringify({ stars: 5, text: 'ça va' })
      const res = await fetch(`${url}/api/reviews/items/3?sort=new&q=%E6%97%A5`, { method, body, headers: { 'Content-Type': 'application/json' } })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ method, url: '/v1/items/3?sort=new&q=%E6%97%A5', body: body ?? '' })
    }
  })

  it('forwards only allowed headers: never the cookies, nor Authorization, nor a forged identity', async () => {
    await fetch(`${url}/api/reviews/x`, {
      headers: {
        Cookie: 'tessera_session=secret; other=1',
        Authorization: 'Bearer stolen',
        'X-Tessera-User-Id': '1',
        'X-Tessera-User-Role': 'admin',
        'Accept-Language': 'fr',
        'X-Custom': 'no',
      },
    })
    const { headers } = echo.requests.at(-1)!
    expect(headers.cookie).toBeUndefined()
    expect(headers.authorization).toBeUndefined()
    expect(headers['x-custom']).toBeUndefined()
    expect(headers['accept-language']).toBe('fr')
    expect(headers['x-tessera-user-id']).toBe('7') // the store's, not the client's
    expect(headers['x-forwarded-for']).toBeTruthy()
    expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('signs who the request is from, so the upstream can verify it (and a wrong key or an old request cannot)', async () => {
    await fetch(`${url}/api/reviews/mine`, { method: 'POST', body: '{}' })
    const seen = echo.requests.at(-1)!
    const request = { method: 'POST', path: '/v1/mine', headers: seen.headers }
    expect(verifyIdentity(SECRET, request)).toEqual({ userId: '7', role: 'customer', requestId: seen.headers['x-request-id'] })
    expect(verifyIdentity('another-secret-of-more-than-32-characters', request)).toBeNull()
    expect(verifyIdentity(SECRET, { ...request, path: '/v1/other' })).toBeNull()
    expect(verifyIdentity(SECRET, request, { now: Date.now() + 120_000 })).toBeNull()
  })

  it("drops the upstream's Set-Cookie and hop-by-hop headers", async () => {
    const res = await fetch(`${url}/api/reviews/x`)
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(res.headers.get('keep-alive')).not.toBe('timeout=77')
  })

  it('streams the answer: the first bytes arrive before the upstream has finished', async () => {
    // The upstream holds its last bytes until the client has its first (or 5 s): through a proxy
    // that waited for the whole answer, the client would get nothing before the end. (Timed as
    // "first within 300 ms, last after 400", a busy machine was late with the first.)
    let clientHasFirst = () => {}
    const firstArrived = new Promise<void>((resolve) => (clientHasFirst = resolve))
    let endedAt = Number.POSITIVE_INFINITY
    const slow = await upstream((_, res) => {
      res.writeHead(201, { 'Content-Type': 'text/plain' })
      res.write('first ')
      void Promise.race([firstArrived, new Promise((resolve) => setTimeout(resolve, 5000))]).then(() => {
        endedAt = performance.now()
        res.end('last')
      })
    })
    closing(slow.server)
    const url = `${await store({ upstream: slow.url })}/api/reviews/stream`
    const chunks: { at: number; text: string }[] = []
    const status = await new Promise<number>((resolve, reject) => {
      request(url, (res) => {
        res.setEncoding('utf8')
        res.on('data', (text: string) => {
          chunks.push({ at: performance.now(), text })
          clientHasFirst()
        })
        res.on('end', () => resolve(res.statusCode!))
        res.on('error', reject)
      })
        .on('error', reject)
        .end()
    })
    expect(status).toBe(201)
    expect(chunks.map((chunk) => chunk.text).join('')).toBe('first last')
    expect(chunks[0]!.text).toBe('first ')
    expect(chunks[0]!.at).toBeLessThan(endedAt)
  })

  it('cuts the client off when the upstream dies mid-answer, saying so in one log line, never a raw stack on stderr', async () => {
    const dying = await upstream((_, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '100000' })
      res.write('only the start')
      setTimeout(() => res.socket?.destroy(), 50)
    })
    closing(dying.server)
    const base = await store({ upstream: dying.url })
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      for (const encoding of ['identity', 'gzip']) {
        await expect(timedGet(`${base}/api/reviews/x`, { 'Accept-Encoding': encoding })).rejects.toThrow()
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(stderr).not.toHaveBeenCalled()
    } finally {
      stderr.mockRestore()
    }
    expect(logged.filter((line) => line.includes('"msg":"upstream answer broke off"'))).toHaveLength(2)
  })

  it('answers 504 when the upstream is too slow, 502 when it is down', async () => {
    const sleepy = await upstream((_, res) => void setTimeout(() => res.end('late'), 1000))
    closing(sleepy.server)
    const started = performance.now()
    const slow = await fetch(`${await store({ upstream: sleepy.url, timeoutMs: 150 })}/api/reviews/x`)
    expect(slow.status).toBe(504)
    expect((await slow.json()).error.code).toBe('upstream_timeout')
    expect(performance.now() - started).toBeLessThan(900)

    const dead = await upstream()
    await new Promise((resolve) => dead.server.close(resolve))
    const down = await fetch(`${await store({ upstream: dead.url })}/api/reviews/x`)
    expect(down.status).toBe(502)
    expect((await down.json()).error).toMatchObject({ code: 'upstream_error' })
  })

  it('opens its circuit after repeated failures (503 at once, the upstream spared), and closes it once the upstream is back', async () => {
    let healthy = false
    const flaky = await upstream((req, res) => (healthy ? res.end('ok') : req.socket.destroy()))
    closing(flaky.server)
    const base = await store({ upstream: flaky.url, breaker: { failures: 3, openMs: 300 } }, null, BEHIND_PROXY)
    for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) expect((await fetch(`${base}/api/reviews/x`, from(client))).status).toBe(502)
    const open = await fetch(`${base}/api/reviews/x`)
    expect(open.status).toBe(503)
    expect(open.headers.get('retry-after')).toBe('10')
    expect((await open.json()).error.code).toBe('upstream_unavailable')
    expect(flaky.requests).toHaveLength(3)
    healthy = true
    await new Promise((resolve) => setTimeout(resolve, 350))
    expect((await fetch(`${base}/api/reviews/x`)).status).toBe(200) // the half-open trial
    expect((await fetch(`${base}/api/reviews/x`)).status).toBe(200)
  })

  it('lets no one visitor open the circuit for the others, nor keep it open by failing its trial', async () => {
    let down = false
    // A service that is well, but slow on one path (a report, say), which a visitor asks for again and again.
    const service = await upstream((req, res) => (down ? req.socket.destroy() : void setTimeout(() => res.end('ok'), req.url === '/slow' ? 1000 : 0)))
    closing(service.server)
    const base = await store({ upstream: service.url, timeoutMs: 100, breaker: { failures: 2, openMs: 500 } }, null, BEHIND_PROXY)
    const get = (client: string, path = 'x') => fetch(`${base}/api/reviews/${path}`, from(client)).then((res) => res.status)
    for (let i = 0; i < 6; i++) expect(await get('203.0.113.66', 'slow')).toBe(504)
    expect(await get('203.0.113.7')).toBe(200) // the service still answers everyone else
    // Really down, for two visitors: open. Once half-open, the same visitor's slow request takes the trial, and fails.
    down = true
    for (const client of ['203.0.113.7', '203.0.113.8']) expect([502, 503]).toContain(await get(client))
    expect(await get('203.0.113.9')).toBe(503)
    down = false
    await new Promise((resolve) => setTimeout(resolve, 550))
    expect(await get('203.0.113.66', 'slow')).toBe(504)
    expect(await get('203.0.113.66')).toBe(503) // it may not take the trial again at once
    expect(await get('203.0.113.7')).toBe(200) // another's trial, which closes the circuit
    expect(await get('203.0.113.66')).toBe(200)
  })

  it('keeps every path under the upstream’s base path, however it is encoded', async () => {
    for (const path of ['%5c..%5c..%5csecret', '.%0a./.%0a./internal', '.%09./internal', '%2e%2e/%2e%2e/internal', '..%2f..%2finternal']) {
      const before = echo.requests.length
      const res = await fetch(`${url}/api/reviews/${path}`)
      const reached = echo.requests.slice(before).map((seen) => seen.url)
      expect([path, res.status, reached.every((seen) => seen.startsWith('/v1/'))]).toEqual([path, res.status, true])
    }
    // Climbing out of the domain's own prefix is no address of the domain.
    expect(echo.requests.some((seen) => !seen.url.startsWith('/v1/'))).toBe(false)
  })

  it('brings a redirect back to the client, not followed: the signed identity never goes where the upstream points', async () => {
    const elsewhere = await upstream()
    closing(elsewhere.server)
    const redirecting = await upstream((_, res) => {
      res.writeHead(302, { Location: `${elsewhere.url}/steal`, 'Strict-Transport-Security': 'max-age=0' })
      res.end()
    })
    closing(redirecting.server)
    const res = await fetch(`${await store({ upstream: redirecting.url, secret: SECRET }, { id: '7', role: 'customer' })}/api/reviews/x`, {
      redirect: 'manual',
    })
    expect([res.status, res.headers.get('location')]).toEqual([302, `${elsewhere.url}/steal`])
    expect(elsewhere.requests).toHaveLength(0)
    // Nor may it switch off the store's HSTS (the store's own security headers stand).
    expect(res.headers.get('strict-transport-security')).toBeNull()
  })

  it('rewrites a redirect into the upstream’s own base path to the same place under the domain’s prefix', async () => {
    let to = ''
    const moving = await upstream((_, res) => {
      res.writeHead(301, { Location: to })
      res.end()
    })
    closing(moving.server)
    const base = await store({ upstream: `${moving.url}/v1` })
    for (const [location, seen] of [
      ['/v1/items/3?tab=2', '/api/reviews/items/3?tab=2'], // relative to the service
      [`${moving.url}/v1/items/4#top`, '/api/reviews/items/4#top'], // its internal address
      ['items/5', '/api/reviews/deep/items/5'], // relative to the request
      ['https://elsewhere.example/x', 'https://elsewhere.example/x'], // another site: as sent
      ['/other/x', '/other/x'], // outside its base path: nothing of the domain's
    ]) {
      to = location!
      const res = await fetch(`${base}/api/reviews/deep/page`, { redirect: 'manual' })
      expect([location, res.headers.get('location')]).toEqual([location, seen])
    }
  })

  it('tells the upstream the address visitors use (PUBLIC_URL), not the Host a client sent', async () => {
    const base = await store({ upstream: echo.url }, null, { PUBLIC_URL: 'https://shop.example' })
    const before = echo.requests.length
    await new Promise<void>((resolve, reject) =>
      request(`${base}/api/reviews/x`, { headers: { Host: 'attacker.example' } }, (res) => res.resume().on('end', resolve))
        .on('error', reject)
        .end(),
    )
    expect(echo.requests.slice(before).map((seen) => [seen.headers['x-forwarded-host'], seen.headers['x-forwarded-proto']])).toEqual([
      ['shop.example', 'https'],
    ])
  })

  it('sends no X-Forwarded-Host without PUBLIC_URL: the Host a client sent is never vouched for', async () => {
    const base = await store({ upstream: echo.url })
    const before = echo.requests.length
    await new Promise<void>((resolve, reject) =>
      request(`${base}/api/reviews/x`, { headers: { Host: 'attacker.example' } }, (res) => res.resume().on('end', resolve))
        .on('error', reject)
        .end(),
    )
    expect(echo.requests.slice(before).map((seen) => [seen.headers['x-forwarded-host'], seen.headers['x-forwarded-proto']])).toEqual([[undefined, 'http']])
  })

  it('counts neither a client that hangs up mid-upload nor a slow upload against the upstream', async () => {
    const base = await store({ upstream: echo.url, timeoutMs: 200, breaker: { failures: 2, openMs: 10_000 } })
    const { port } = new URL(base)
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve) => {
        const cut = request({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/reviews/x',
          headers: { 'Content-Type': 'application/json', 'Content-Length': '100000' },
        })
        cut.on('error', () => resolve())
        cut.write('x'.repeat(1000), () => setTimeout(() => cut.destroy(), 50))
        cut.on('close', () => resolve())
      })
    }
    // Slower than the upstream's timeout to send, and answered all the same.
    const slow = await new Promise<number>((resolve, reject) => {
      const upload = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/reviews/slow', headers: { 'Content-Type': 'application/json' } }, (res) =>
        res.resume().on('end', () => resolve(res.statusCode!)),
      )
      upload.on('error', reject)
      upload.write('{"part":')
      setTimeout(() => upload.end('1}'), 500)
    })
    expect(slow).toBe(200)
    expect((await fetch(`${base}/api/reviews/x`)).status).toBe(200)
  })

  it('lets the next request be the trial when the half-open one says nothing of the upstream (its client left, or a path refused)', async () => {
    let mode: 'fail' | 'slow' | 'ok' = 'fail'
    const flaky = await upstream((req, res) => (mode === 'fail' ? req.socket.destroy() : void setTimeout(() => res.end('ok'), mode === 'slow' ? 500 : 0)))
    closing(flaky.server)
    const base = await store({ upstream: flaky.url, breaker: { failures: 1, openMs: 100 } }, null, BEHIND_PROXY)
    const get = (path = 'x', signal?: AbortSignal) => fetch(`${base}/api/reviews/${path}`, { signal }).then((res) => res.status)
    const halfOpen = () => new Promise((resolve) => setTimeout(resolve, 150))
    const open = async () => {
      expect(await fetch(`${base}/api/reviews/x`, from('203.0.113.1')).then((res) => res.status)).toBe(502)
      expect(await fetch(`${base}/api/reviews/x`, from('203.0.113.2')).then((res) => res.status)).toBe(502)
    }
    await open()
    await halfOpen()
    mode = 'slow'
    await expect(get('x', AbortSignal.timeout(100))).rejects.toThrow() // the trial's client hangs up
    mode = 'ok'
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await get()).toBe(200)
    // A path refused before any call is made (`//host` would leave the upstream's origin) is no trial either.
    mode = 'fail'
    await open()
    await halfOpen()
    mode = 'ok'
    expect(await get('/evil.example/x')).toBe(404)
    expect(await get()).toBe(200)
  })

  it('lets no client open or hold the circuit: a method fetch cannot send is a 405, and a slow upload is never the half-open trial', async () => {
    let healthy = false
    const flaky = await upstream((req, res) => (healthy ? res.end('ok') : req.socket.destroy()))
    closing(flaky.server)
    const base = await store({ upstream: flaky.url, breaker: { failures: 2, openMs: 100 } }, null, BEHIND_PROXY)
    // Sent as a client other than fetch can (fetch refuses TRACE on this side too).
    const trace = () =>
      new Promise<[number, string | undefined]>((resolve, reject) =>
        request(`${base}/api/reviews/x`, { method: 'TRACE' }, (res) => resolve([res.resume().statusCode!, res.headers.allow]))
          .on('error', reject)
          .end(),
      )
    // With the methods it does forward: every 405 says what is allowed (RFC 9110 §15.5.6).
    for (let i = 0; i < 5; i++) expect(await trace()).toEqual([405, 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'])
    healthy = true
    expect((await fetch(`${base}/api/reviews/x`)).status).toBe(200)
    // Open it (the upstream down), then a POST that dribbles its body when the trial is due.
    healthy = false
    for (const client of ['203.0.113.1', '203.0.113.2']) expect((await fetch(`${base}/api/reviews/x`, from(client))).status).toBe(502)
    await new Promise((resolve) => setTimeout(resolve, 150))
    healthy = true
    const { port } = new URL(base)
    const dribbling = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/reviews/x', headers: { 'Content-Type': 'application/json' } })
    const answered = new Promise<number>((resolve) => dribbling.on('response', (res) => resolve(res.resume().statusCode!)))
    dribbling.on('error', () => {})
    dribbling.write('{"slowly":')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect((await fetch(`${base}/api/reviews/x`)).status).toBe(200) // the trial, taken by a request without a body
    dribbling.end('1}')
    expect(await answered).toBe(503) // it could not be the trial: answered at once
  })

  it('times only the upstream: an answer that begins before the upload ends streams to its end, and an upstream that stops reading is a 504', async () => {
    const early = await upstream((_, res, seen) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' })
      res.write(`got ${seen.body.length}\n`)
      setTimeout(() => res.end('finished'), 600)
    })
    closing(early.server)
    const base = await store({ upstream: early.url, timeoutMs: 200 })
    const answer = await fetch(`${base}/api/reviews/x`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"n":1}' })
    expect(await answer.text()).toBe('got 7\nfinished')

    // An upstream that takes the connection but never reads the body: the clock runs, 504.
    const stuck = createServer((req) => req.pause())
    await new Promise<void>((resolve) => stuck.listen(0, '127.0.0.1', resolve))
    closing(stuck)
    const started = performance.now()
    const big = 'x'.repeat(4 * 1024 * 1024)
    const res = await fetch(`${await store({ upstream: `http://127.0.0.1:${(stuck.address() as AddressInfo).port}`, timeoutMs: 300 })}/api/reviews/x`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(big),
    })
    expect([res.status, (await res.json()).error.code]).toEqual([504, 'upstream_timeout'])
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('refuses to start without a proper upstream URL or with a short secret, naming the domain', () => {
    expect(() => defineRemoteDomain({ name: 'reviews', upstream: undefined })).toThrow('Remote domain "reviews": upstream must be an http(s) URL, got null.')
    expect(() => defineRemoteDomain({ name: 'reviews', upstream: 'file:///etc/passwd' })).toThrow(/Remote domain "reviews"/)
    expect(() => defineRemoteDomain({ name: 'reviews', upstream: 'http://x', secret: 'short' })).toThrow(/32 characters/)
  })
})
