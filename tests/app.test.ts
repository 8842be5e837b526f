import { copyFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadAfterPaint } from '#shared/client'
import { serveOnSocket } from './support/http.ts'
import { createTestApp, timedChunks } from './support/test-app.ts'

type TestApp = Awaited<ReturnType<typeof createTestApp>>
type Transport = { request: (path: string, init?: RequestInit) => Promise<Response>; close(): Promise<void> }

/**
 * Every test runs twice: through `app.request()`, and through a real socket with Node's request
 * and response, as production serves (the fast paths in shared/http/node-http.server.ts).
 */
const transports: [string, (app: TestApp['app']) => Promise<Transport>][] = [
  ['app.request()', async (app) => ({ request: async (path, init) => app.request(path, init), close: async () => {} })],
  [
    'a real socket',
    async (app) => {
      const { url, close } = await serveOnSocket(app.fetch)
      // fetch() asks for gzip by default; app.request() does not: ask as it does, so both get the same bytes.
      const request = (path: string, init: RequestInit = {}) =>
        fetch(url + path, { ...init, headers: { 'Accept-Encoding': 'identity', ...(init.headers as Record<string, string>) } })
      return { request, close }
    },
  ],
]

let request: Transport['request']
const json = (body: string, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body,
  headers: { 'Content-Type': 'application/json', ...headers },
})

describe.each(transports)('through %s', (_, connect) => {
  let testApp: TestApp
  let transport: Transport
  beforeAll(async () => {
    testApp = await createTestApp()
    transport = await connect(testApp.app)
    request = transport.request
  })
  afterAll(async () => {
    await transport.close()
    await testApp.close()
  })
  describe('pages', () => {
    it('renders a page whose data is ready as one response with Content-Length', async () => {
      const res = await request('/demo?name=Ada')
      expect(res.status).toBe(200)
      expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
      const html = await res.text()
      expect(Number(res.headers.get('Content-Length'))).toBe(Buffer.byteLength(html))
      expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true)
      expect(html).toContain('<title>Hello Ada</title>')
      expect(html).toContain('<meta name="description" content="A counter that proves hydration."/>')
      expect(html).toContain('<h1>Hello <!-- -->Ada</h1>')
      expect(html).toContain('<li><a href="/demo">Demo</a></li>') // navigation from the mounted domains
    })

    it('puts the CSP nonce on every script it writes (JSON-LD is data, never run: it needs none)', async () => {
      const res = await request('/demo')
      const nonce = /'nonce-([^']+)'/.exec(res.headers.get('Content-Security-Policy') ?? '')?.[1]
      expect(nonce).toBeTruthy()
      const scripts = ((await res.text()).match(/<script[^>]*>/g) ?? []).filter((tag) => !tag.includes('type="application/ld+json"'))
      expect(scripts.length).toBeGreaterThanOrEqual(1) // the boot script, which loads the modules itself
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`)
    })

    it('serializes hydration data so it cannot break out of its script', async () => {
      const html = await (await request('/demo')).text()
      const boot = /<script[^>]*>(self\.__TESSERA__=[\s\S]*?)<\/script>/.exec(html)?.[1]
      expect(boot).toBeDefined()
      expect(boot).not.toMatch(/<\/script/i)
      const window: Record<string, { data: { tricky: string } }> = {}
      const data = boot!.replace(`;${loadAfterPaint}`, '').replace('__TESSERA__.settle', 'self.__TESSERA__.settle')
      new Function('self', '__TESSERA__', data)(window, {})
      expect(window.__TESSERA__!.data.tricky).toBe('</script><script>window.__pwned = true</script><!-- \u2028\u2029 &amp;')
    })

    it('streams a page with deferred data: the shell first, the slow part when ready', async () => {
      // The slow part waits 1 s, and must come at least 0.5 s after the shell: a busy machine may hold
      // the shell back a few hundred milliseconds (0.3 s and 0.2 s failed once under load).
      const res = await request('/demo/slow?ms=1000')
      expect(res.headers.get('Content-Length')).toBeNull()
      const chunks = await timedChunks(res)
      const shell = chunks[0]!
      expect(shell.text).toContain('<h1>A page with a slow part</h1>')
      expect(shell.text).toContain('Loading the slow part…')
      expect(shell.text).not.toContain('The slow part has arrived.')
      const slow = chunks.find((chunk) => chunk.text.includes('The slow part has arrived.'))!
      expect(slow.at - shell.at).toBeGreaterThan(500)
      const all = chunks.map((chunk) => chunk.text).join('')
      expect(all).toContain('__TESSERA__.settle("slow",{"value":{"message":"The slow part has arrived."}})')
      expect(all.trimEnd().endsWith('</html>')).toBe(true)
    })

    it('renders ready deferred data without streaming', async () => {
      const res = await request('/demo/slow?ms=0')
      expect(res.headers.get('Content-Length')).not.toBeNull()
      const html = await res.text()
      expect(html).toContain('The slow part has arrived.')
      expect(html).toContain('"settled":{"slow":{"value":{"message":"The slow part has arrived."}}}')
    })

    it('answers an unknown page with a friendly 404 page', async () => {
      const res = await request('/no/such/page')
      expect(res.status).toBe(404)
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/)
      expect(await res.text()).toContain('Page not found')
    })

    it('answers notFound() from a loader with the 404 page and its message', async () => {
      const res = await request('/demo/gone')
      expect(res.status).toBe(404)
      expect(await res.text()).toContain('This demo page is gone.')
    })

    it('answers a failing loader with a friendly 500 page that hides the error', async () => {
      const res = await request('/demo/boom')
      expect(res.status).toBe(500)
      const html = await res.text()
      expect(html).toContain('Something went wrong')
      expect(html).not.toContain('loader exploded')
    })
  })

  describe('APIs', () => {
    it('mounts each domain API at /api/<domain>', async () => {
      const res = await request('/api/demo/ping')
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ pong: true })
    })

    it('uses the tables the domain migrations created', async () => {
      const created = await request('/api/demo/notes', json('{"body":"  first  "}'))
      expect(created.status).toBe(201)
      expect(await created.json()).toEqual({ note: { id: 1, body: 'first' } })
      expect(await (await request('/api/demo/notes')).json()).toEqual({ notes: [{ id: 1, body: 'first' }] })
    })

    it('answers an unknown API route with a JSON 404', async () => {
      const res = await request('/api/nothing/here')
      expect(res.status).toBe(404)
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'Nothing is here.' } })
    })

    it('answers malformed JSON with a JSON 400 invalid_input, as the contract declares every 400', async () => {
      const res = await request('/api/demo/notes', json('{"body":'))
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({ error: { code: 'invalid_input', message: 'The body is not valid JSON.' } })
    })

    it('answers invalid input with a 400 and the zod issues per field', async () => {
      const res = await request('/api/demo/notes', json('{"body":""}'))
      expect(res.status).toBe(400)
      const body = await res.json()
      expect(body.error.code).toBe('invalid_input')
      expect(body.error.issues).toEqual([expect.objectContaining({ path: ['body'], code: 'too_small' })])
    })

    it('answers an oversized body with a JSON 413 and does not run the handler', async () => {
      const big = JSON.stringify({ body: 'x'.repeat(1024 * 1024 + 1) })
      const res = await request('/api/demo/notes', json(big))
      expect(res.status).toBe(413)
      expect(await res.json()).toEqual({ error: { code: 'payload_too_large', message: 'The request body is too large.' } })
      expect((await (await request('/api/demo/notes')).json()).notes.some((note: { body: string }) => note.body.startsWith('xxx'))).toBe(false)
    })

    it('refuses a cross-site form post (CSRF) with 403 and changes nothing', async () => {
      const res = await request('/api/demo/notes', {
        method: 'POST',
        body: 'body=hacked',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
      })
      expect(res.status).toBe(403)
      expect((await res.json()).error.code).toBe('cross_site_request')
      const notes = (await (await request('/api/demo/notes')).json()).notes as { body: string }[]
      expect(notes.some((note) => note.body === 'hacked')).toBe(false)
    })

    it('sends ETags on API responses and answers If-None-Match with 304', async () => {
      const first = await request('/api/demo/ping')
      const tag = first.headers.get('ETag')
      expect(tag).toBeTruthy()
      const again = await request('/api/demo/ping', { headers: { 'If-None-Match': tag! } })
      expect(again.status).toBe(304)
      expect(again.headers.get('ETag')).toBe(tag)
      const changed = await request('/api/demo/ping', { headers: { 'If-None-Match': '"something-else"' } })
      expect(changed.status).toBe(200)
    })

    it('names on a 304 the ETag its 200 had, gzipped or not (RFC 9110 §15.4.5)', async () => {
      const gzip = { 'Accept-Encoding': 'gzip' }
      const big = await request('/api/products?limit=24', { headers: gzip })
      expect(big.headers.get('Content-Encoding')).toBe('gzip')
      const tag = big.headers.get('ETag')!
      expect(tag).toMatch(/^W\/"[0-9a-f]{40}"$/)
      expect((await request('/api/products?limit=24')).headers.get('ETag')).toBe(tag) // the same tag for the plain bytes
      const again = await request('/api/products?limit=24', { headers: { ...gzip, 'If-None-Match': tag } })
      expect([again.status, again.headers.get('ETag')]).toEqual([304, tag])
    })

    it('gives JSON answers a policy without a script nonce: they write no scripts', async () => {
      const res = await request('/api/demo/ping')
      expect(res.headers.get('Content-Security-Policy')).toMatch(/script-src 'self';/)
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    })
  })

  describe('health and headers', () => {
    it('answers /healthz and /readyz', async () => {
      expect(await (await request('/healthz')).json()).toEqual({ status: 'ok', pid: process.pid })
      const ready = await request('/readyz')
      expect(ready.status).toBe(200)
      expect(await ready.json()).toEqual({ status: 'ready', checks: { database: true } })
    })

    it('answers /readyz with 503 when the database is gone', async () => {
      const other = await createTestApp()
      await other.close()
      const res = await other.app.request('/readyz')
      expect(res.status).toBe(503)
    })

    it('answers /readyz with 503 (and logs it once) while its SQLite file is deleted or replaced: what it writes would be lost', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'tessera-readyz-'))
      const path = join(folder, 'store.db')
      const lines: string[] = []
      const own = await createTestApp({ DATABASE_PATH: path }, { logTo: (line) => lines.push(line) })
      const readyz = async () => (await own.app.request('/readyz')).status
      try {
        expect(await readyz()).toBe(200)
        renameSync(path, `${path}.moved`) // deleted, as far as its path tells
        expect(await readyz()).toBe(503)
        renameSync(`${path}.moved`, path)
        expect(await readyz()).toBe(200)
        copyFileSync(path, `${path}.copy`) // a restore copied over it
        renameSync(`${path}.copy`, path)
        expect(await readyz()).toBe(503)
        expect(await readyz()).toBe(503)
        expect(lines.filter((line) => line.includes('"msg":"the SQLite file this process opened was deleted or replaced'))).toHaveLength(1)
      } finally {
        await own.close()
        rmSync(folder, { recursive: true, force: true })
      }
    })

    it('sets security headers and a request id', async () => {
      const res = await request('/')
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(res.headers.get('X-Frame-Options')).toBe('DENY')
      expect(res.headers.get('Content-Security-Policy')).toMatch(/script-src 'self' 'nonce-/)
      expect(res.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
    })
  })

  describe('a deferred part that fails', () => {
    it('streams the page with the error in its place, and the server carries on', async () => {
      const res = await request('/demo/slow?ms=20&fail')
      expect(res.status).toBe(200)
      const html = await res.text()
      expect(html).toContain('__TESSERA__.settle("slow",{"error":"This part of the page could not be loaded."})')
      // (React in development mode adds the message for debugging; the production build's test checks it does not.)
      expect((await request('/healthz')).status).toBe(200)
    })
  })

  describe('GET /metrics', () => {
    it('serves Prometheus metrics: requests by route pattern and status, cache outcomes, queue depth, event loop', async () => {
      await request('/demo/notes')
      await request('/demo/notes')
      await request('/api/demo/nope')
      const res = await request('/metrics')
      expect(res.headers.get('Content-Type')).toMatch(/^text\/plain/)
      const text = await res.text()
      expect(text).toMatch(/http_requests_total\{method="GET",route="\/demo\/notes",status="200"\} \d+/)
      expect(text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404"\} \d+/)
      expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/demo\/notes",status="200"\} \d+/)
      expect(text).toMatch(/page_cache_responses_total\{state="HIT"\} \d+/)
      expect(text).toMatch(/job_queue_depth \d+/)
      expect(text).toMatch(/nodejs_eventloop_lag_seconds \d/)
    })
  })

  describe('the API description', () => {
    it('serves OpenAPI 3.1 built from the routes and their zod schemas', async () => {
      const doc = await (await request('/api/openapi.json')).json()
      expect(doc.openapi).toBe('3.1.0')
      const create = doc.paths['/api/demo/notes'].post
      expect(create.tags).toEqual(['demo'])
      expect(create.requestBody.content['application/json'].schema).toMatchObject({
        type: 'object',
        properties: { body: { type: 'string', minLength: 1, maxLength: 200 } },
        required: ['body'],
      })
      const list = doc.paths['/api/products'].get
      expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['q', 'category', 'sort', 'page', 'limit']))
      expect(doc.paths['/api/products/{id}'].patch.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })])
      expect(doc.paths['/api/orders'].post.requestBody).toBeDefined()
    })

    it('renders a readable reference page', async () => {
      const html = await (await request('/api-docs')).text()
      expect(html).toContain('<code>POST /api/demo/notes</code>')
      expect(html).toContain('/api/openapi.json')
    })
  })
})
