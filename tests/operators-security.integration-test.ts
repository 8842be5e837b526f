import { randomBytes } from 'node:crypto'
import { connect, createServer } from 'node:net'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { serversFor, type ServerProcess } from './support/server-process.ts'

const root = inject('builtRoot')
const start = serversFor(root)

const token = randomBytes(32).toString('hex')
const bearer = (value: string) => ({ headers: { Authorization: `Bearer ${value}` } })

/** The address the METRICS_PORT listener logged. */
async function metricsUrlOf(server: ServerProcess): Promise<string> {
  const pattern = /"msg":"metrics listening","url":"([^"]+)"/
  await expect.poll(() => pattern.test(server.output())).toBe(true)
  return pattern.exec(server.output())![1]!
}

/** Whether anything accepts a TCP connection there. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

describe('/metrics in production (#13 item 13)', () => {
  it('is not served without METRICS_TOKEN or METRICS_PORT: a 404, and one line at start-up says how to turn it on', async () => {
    const server = await start()
    const res = await fetch(`${server.url}/metrics`)
    expect(res.status).toBe(404)
    expect(await res.text()).not.toContain('http_requests_total')
    expect(server.output().match(/metrics are not served: set METRICS_TOKEN/g)).toHaveLength(1)
    // Production on the fake gateway is said once too: no money moves. And without PUBLIC_URL.
    expect(server.output().match(/PAYMENT_GATEWAY is fake/g)).toHaveLength(1)
    expect(server.output().match(/PUBLIC_URL is not set/g)).toHaveLength(1)
    const named = await start({ PUBLIC_URL: 'https://shop.example' })
    expect(named.output()).not.toContain('PUBLIC_URL is not set')
  })

  it('with METRICS_TOKEN: 401 without the bearer token or with another, the metrics with it', async () => {
    const server = await start({ METRICS_TOKEN: token })
    const url = `${server.url}/metrics`

    const none = await fetch(url)
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"')
    expect((await none.json()).error.code).toBe('unauthorized')

    const lastFlipped = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0')
    for (const wrong of [lastFlipped, token.slice(0, 16), `${token}x`, 'x']) {
      const res = await fetch(url, bearer(wrong))
      expect(res.status, wrong).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
      expect(await res.text()).not.toContain('http_requests_total')
    }
    // Another scheme is a malformed request, not a way in.
    expect((await fetch(url, { headers: { Authorization: `Basic ${token}` } })).status).toBe(400)

    const right = await fetch(url, bearer(token))
    expect(right.status).toBe(200)
    expect(right.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await right.text()).toMatch(/http_requests_total\{method="GET",route="\/metrics",status="401"\} \d+/)
    // The scheme is case-insensitive (RFC 7235).
    expect((await fetch(url, { headers: { Authorization: `bearer ${token}` } })).status).toBe(200)
    expect(server.output()).not.toContain(token)
    expect(server.output()).not.toContain('metrics are not served')
  })

  it('with METRICS_PORT: serves /metrics on 127.0.0.1 only, and the public port does not', async () => {
    const server = await start({ METRICS_PORT: '0' })
    const url = await metricsUrlOf(server)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/)
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(await res.text()).toMatch(/job_queue_depth \d+/)
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404)
    expect((await fetch(url.replace(/\/metrics$/, '/healthz'))).status).toBe(404) // metrics, nothing else

    // Bound to 127.0.0.1, not every interface: on Linux all of 127.0.0.0/8 is this host, so a
    // listener on 0.0.0.0 would accept on 127.0.0.2 too.
    const port = Number(new URL(url).port)
    expect(await accepts('127.0.0.1', port)).toBe(true)
    expect(await accepts('127.0.0.2', port)).toBe(false)
    expect(server.output()).not.toContain('metrics are not served')
  })

  it('with METRICS_PORT and METRICS_TOKEN: the private listener asks for the token too', async () => {
    const server = await start({ METRICS_PORT: '0', METRICS_TOKEN: token })
    const url = await metricsUrlOf(server)
    expect((await fetch(url)).status).toBe(401)
    expect((await fetch(url, bearer(token))).status).toBe(200)
    expect((await fetch(`${server.url}/metrics`, bearer(token))).status).toBe(404)
  })

  it('with WORKERS=2 and METRICS_TOKEN: the public port serves the sum over both workers, behind the token', async () => {
    const server = await start({ WORKERS: '2', PORT: String(await freePort()), METRICS_TOKEN: token })
    await expect.poll(() => server.output().match(/"msg":"listening"/g)?.length ?? 0, { timeout: 10_000 }).toBe(2)
    await Promise.all(Array.from({ length: 20 }, () => fetch(`${server.url}/healthz`)))
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401)
    const text = await (await fetch(`${server.url}/metrics`, bearer(token))).text()
    expect(Number(/http_requests_total\{method="GET",route="\/healthz",status="200"\} (\d+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(20)
    expect(server.output()).not.toContain('metrics are not served')
  })
})

describe('one store, its pages, its cache, its headers', () => {
  let server: ServerProcess
  beforeAll(async () => {
    server = await start({ METRICS_TOKEN: token })
  })

  describe('framing (#13 item 14)', () => {
    it("says X-Frame-Options: DENY, as CSP frame-ancestors 'none' does, on every kind of response", async () => {
      const html = await (await fetch(`${server.url}/demo`)).text()
      const asset = /"entry":"(\/assets\/[^"]+\.js)"/.exec(html)![1]!
      const api = await fetch(`${server.url}/api/products/1`)
      await fetch(`${server.url}/demo/notes`)
      const responses: Record<string, Response> = {
        page: await fetch(`${server.url}/demo`),
        'cached page': await fetch(`${server.url}/demo/notes`),
        'navigation data': await fetch(`${server.url}/demo/notes`, { headers: { 'X-Tessera-Data': '1' } }),
        'streamed page': await fetch(`${server.url}/demo/slow?ms=20`),
        API: api,
        'API 304': await fetch(`${server.url}/api/products/1`, { headers: { 'If-None-Match': api.headers.get('etag')! } }),
        'API 404': await fetch(`${server.url}/api/nothing-here`),
        'page 404': await fetch(`${server.url}/nothing-here`),
        'page 500': await fetch(`${server.url}/demo/boom`),
        redirect: await fetch(`${server.url}/demo/old`, { redirect: 'manual' }),
        'too large': await fetch(`${server.url}/api/demo/notes`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: 'x'.repeat(2 * 1024 * 1024),
        }),
        asset: await fetch(`${server.url}${asset}`),
        HEAD: await fetch(`${server.url}/demo/notes`, { method: 'HEAD' }),
        'metrics 401': await fetch(`${server.url}/metrics`),
        health: await fetch(`${server.url}/healthz`),
      }
      expect(responses['cached page']!.headers.get('x-cache')).toBe('HIT')
      expect(responses['API 304']!.status).toBe(304)
      expect(responses['page 500']!.status).toBe(500)
      expect(responses.redirect!.status).toBe(302)
      expect(responses['too large']!.status).toBe(413)
      for (const [kind, res] of Object.entries(responses)) {
        expect(res.headers.get('x-frame-options'), kind).toBe('DENY')
        expect(res.headers.get('content-security-policy'), kind).toContain("frame-ancestors 'none'")
        await res.body?.cancel()
      }
    })
  })

  describe('page cache keys (#13 item 15)', () => {
    it('serves junk query parameters from the same entry, with the same bytes, never showing them', async () => {
      const first = await fetch(`${server.url}/products?sort=price-asc&page=2`)
      expect(first.headers.get('x-cache')).toBe('MISS')
      const page = await first.text()
      const same = await fetch(`${server.url}/products?page=2&sort=price-asc`)
      expect(same.headers.get('x-cache')).toBe('HIT') // the order of parameters does not matter
      expect(await same.text()).toBe(page)
      for (let i = 1; i <= 20; i++) {
        const res = await fetch(`${server.url}/products?utm_source=mail-${i}&page=2&fbclid=f${i}&sort=price-asc&utm_campaign=${i}`)
        expect(res.headers.get('x-cache'), `junk ${i}`).toBe('HIT')
        expect(await res.text()).toBe(page)
      }
      expect(page).not.toContain('utm_')
      // A declared parameter still makes its own page.
      expect((await fetch(`${server.url}/products?sort=price-asc&page=3`)).headers.get('x-cache')).toBe('MISS')
    })

    it('never lets a junk parameter change the page: the loader sees the declared ones only', async () => {
      const res = await fetch(`${server.url}/demo/query?tag=b&utm_source=x&q=mug&debug=1&tag=a`)
      expect(res.headers.get('x-cache')).toBe('MISS')
      const body = await res.text()
      expect(/<pre data-testid="seen">([^<]*)<\/pre>/.exec(body)![1]!.replaceAll('&quot;', '"')).toBe('[["q","mug"],["tag","b"],["tag","a"]]')
      expect(body).not.toContain('utm_source')
      expect(body).not.toContain('debug')
      expect((await fetch(`${server.url}/demo/query?q=mug&tag=b&tag=a`)).headers.get('x-cache')).toBe('HIT')
    })
  })
})

describe('junk query parameters and a full cache (#13 item 15)', () => {
  it('no longer push real pages out: every junk variant is the one entry', async () => {
    // Room for a few pages: without declared parameters each junk URL below was an entry of its
    // own, and the least recently used (the product page) went first.
    const server = await start({ PAGE_CACHE_MAX_BYTES: String(200 * 1024) })
    const product = `${server.url}/products/${(await (await fetch(`${server.url}/api/products?limit=1`)).json()).items[0].slug}`
    expect((await fetch(product)).headers.get('x-cache')).toBe('MISS')
    expect((await fetch(product)).headers.get('x-cache')).toBe('HIT')
    const states = []
    // ~23 KB a listing: forty of them would be ~900 KB.
    for (let i = 0; i < 40; i++) states.push((await fetch(`${server.url}/products?utm_source=${i}&gclid=${i}`)).headers.get('x-cache'))
    expect((await fetch(product)).headers.get('x-cache')).toBe('HIT')
    expect(states).toEqual(['MISS', ...Array(39).fill('HIT')])
  })
})

/** A fixed port: cluster workers asking for port 0 would each get a port of their own. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}
