import { existsSync } from 'node:fs'
import { Agent, get } from 'node:http'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { sql } from 'kysely'
import { loadAfterPaint } from '#shared/client'
import { databaseEnv, openDatabase, testDatabaseLocation } from '#shared/db'
import { timedGet } from './support/http.ts'
import { startBuiltServer, type ServerProcess } from './support/server-process.ts'

const root = inject('builtRoot')
let server: ServerProcess

beforeAll(async () => {
  server = await startBuiltServer(root)
})
afterAll(() => server?.stop())

describe('the production build, run as `node dist/server.js`', () => {
  it('runs with only the production dependencies installed', () => {
    expect(existsSync(join(root, 'node_modules/better-sqlite3'))).toBe(true)
    for (const devOnly of ['vite', 'vitest', 'typescript', 'tsx']) expect(existsSync(join(root, 'node_modules', devOnly))).toBe(false)
  })

  it('serves the home page', async () => {
    const res = await timedGet(`${server.url}/`)
    expect(res.status).toBe(200)
    expect(res.body).toContain('Welcome to Tessera')
  })

  const variants: [string, Record<string, string>][] = [
    ['plain', {}],
    ['gzip', { 'Accept-Encoding': 'gzip' }],
    ["curl's user agent", { 'User-Agent': 'curl/8.5.0' }],
  ]
  it.each(variants)('streams the shell before a 1 s Suspense child (%s)', async (_, headers) => {
    // A second, not 300 ms: on a loaded machine the shell itself may take a few hundred ms.
    const res = await timedGet(`${server.url}/demo/slow?ms=1000`, headers)
    expect(res.status).toBe(200)
    if (headers['Accept-Encoding']) expect(res.headers['content-encoding']).toBe('gzip')
    const shellIndex = res.chunks.findIndex((chunk) => chunk.text.includes('Loading the slow part…'))
    const slowIndex = res.chunks.findIndex((chunk) => chunk.text.includes('The slow part has arrived.'))
    expect(shellIndex).toBeGreaterThanOrEqual(0)
    expect(slowIndex).toBeGreaterThan(shellIndex)
    // The shell's boot script is in the early part, so hydration starts before the end.
    const early = res.chunks
      .slice(0, slowIndex)
      .map((chunk) => chunk.text)
      .join('')
    expect(early).toContain(loadAfterPaint)
    expect(early).toMatch(/"entry":"\/assets\/entry-client-[^"]+\.js"/)
    expect(res.chunks[slowIndex]!.at - res.chunks[shellIndex]!.at).toBeGreaterThan(500)
  })

  it('keeps hostile hydration data inside its script', async () => {
    const { body } = await timedGet(`${server.url}/demo`)
    const scripts = [...body.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]!)
    expect(scripts.some((code) => code.includes('__pwned'))).toBe(true) // the data is there…
    expect(body).not.toContain('<script>window.__pwned') // …but never as markup
    const boot = scripts.find((code) => code.startsWith('self.__TESSERA__='))!
    const self: { __TESSERA__?: { data: { tricky: string } } } = {}
    new Function('self', '__TESSERA__', boot.replace(/;__TESSERA__\.settle=.*$/, ''))(self, {})
    expect(self.__TESSERA__!.data.tricky).toContain('</script><script>window.__pwned = true</script>')
  })

  it('survives a deferred part that fails, and shows no internals', async () => {
    const res = await timedGet(`${server.url}/demo/slow?ms=20&fail`)
    expect(res.status).toBe(200)
    expect(res.body).toContain('This part of the page could not be loaded.')
    expect(res.body).not.toContain('the slow part failed')
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })

  it('answers an unknown page with a 404 HTML page', async () => {
    const res = await fetch(`${server.url}/does/not/exist`)
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await res.text()).toContain('Page not found')
  })

  it('answers an unknown API with a 404 JSON', async () => {
    const res = await fetch(`${server.url}/api/does-not-exist`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'Nothing is here.' } })
  })

  it('answers a malformed JSON body with a 400 JSON', async () => {
    const res = await fetch(`${server.url}/api/demo/notes`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"body": nope' })
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('invalid_input')
  })

  it.each([
    ['an unknown method', 'FOO / HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'bad_request'],
    ['headers over 16 KB', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`, 431, 'headers_too_large'],
  ])("answers a request Node's parser refuses (%s) with the app's JSON error body", async (_, request, status, code) => {
    const answer = await rawRequest(server.url, request)
    expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `))
    expect(answer).toContain('Content-Type: application/json')
    expect(answer).toContain('X-Content-Type-Options: nosniff\r\n')
    expect(answer).toContain("Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n")
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code, message: expect.any(String) } })
  })

  it.each([
    ['a backslash in the path', 'GET /api/products/\\ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'],
    // (An HTTP/1.0 request without Host, once here, is answered: a HAProxy health check sends one.)
    ['an absolute URL with an invalid host', 'GET http://[::1/api/products/2 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'],
    ['an invalid Host', 'GET /api/products/2 HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n'],
  ])('answers a request the server library refuses (%s) with the JSON error body and the security headers', async (_, request) => {
    const answer = await rawRequest(server.url, request)
    expect(answer).toMatch(/^HTTP\/1\.1 400 /)
    expect(answer).toMatch(/\r\ncontent-type: application\/json\r\n/i)
    expect(answer).toMatch(/\r\nx-content-type-options: nosniff\r\n/i)
    expect(answer).toMatch(/\r\ncontent-security-policy: default-src 'none'; frame-ancestors 'none'\r\n/i)
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'bad_request', message: expect.any(String) } })
  })

  it('refuses a request with two Host headers (400), which a proxy in front might read otherwise', async () => {
    const answer = await rawRequest(server.url, 'GET /demo HTTP/1.1\r\nHost: evil.example\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')
    expect(answer).toMatch(/^HTTP\/1\.1 400 /)
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'bad_request', message: expect.any(String) } })
    expect(await rawRequest(server.url, 'GET /demo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 /)
  })

  it('answers an oversized body with a 413 JSON', async () => {
    const body = JSON.stringify({ body: 'x'.repeat(2 * 1024 * 1024) })
    const res = await fetch(`${server.url}/api/demo/notes`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
    expect(res.status).toBe(413)
    expect((await res.json()).error.code).toBe('payload_too_large')
  })

  it("sends security headers and a request id (written on Node's response), on pages, API answers and 304s", async () => {
    const res = await fetch(`${server.url}/demo`)
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-[^']+'/)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/)
    expect(res.headers.get('referrer-policy')).toBe('same-origin') // no-referrer makes a form's Origin null
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)

    const api = await fetch(`${server.url}/api/products/1`, { headers: { 'X-Request-Id': 'from-the-proxy' } })
    expect(api.headers.get('content-security-policy')).toMatch(/script-src 'self';/)
    expect(api.headers.get('x-frame-options')).toBe('DENY')
    expect(api.headers.get('x-request-id')).toBe('from-the-proxy')
    const again = await fetch(`${server.url}/api/products/1`, { headers: { 'If-None-Match': api.headers.get('etag')! } })
    expect(again.status).toBe(304)
    expect(again.headers.get('x-content-type-options')).toBe('nosniff')
    // Each header once: Node's and the web response's headers are merged, not doubled.
    expect(api.headers.get('content-type')).toBe('application/json')
  })

  it('serves hashed assets as immutable', async () => {
    const { body } = await timedGet(`${server.url}/demo`)
    const asset = /"entry":"(\/assets\/[^"]+\.js)"/.exec(body)![1]!
    const res = await fetch(`${server.url}${asset}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(res.headers.get('content-type')).toMatch(/javascript/)
  })

  it('logs one JSON line per request with its id and timing', () => {
    const lines = server
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    const request = lines.find((line) => line.msg === 'request' && line.path === '/demo')
    expect(request).toMatchObject({ level: 'info', method: 'GET', status: 200, requestId: expect.any(String), ms: expect.any(Number) })
  })
})

describe('graceful shutdown', () => {
  it('lets a request in flight finish, then exits 0', async () => {
    const own = await startBuiltServer(root)
    const inFlight = timedGet(`${own.url}/demo/slow?ms=500`)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const exitCode = own.stop('SIGTERM')
    const res = await inFlight
    expect(res.body).toContain('The slow part has arrived.')
    expect(res.body.trimEnd().endsWith('</html>')).toBe(true)
    expect(await exitCode).toBe(0)
    await expect(fetch(`${own.url}/healthz`)).rejects.toThrow()
  })

  it('closes kept-alive idle connections at once (not after their 5 s keep-alive), answering a request sent meanwhile', async () => {
    const own = await startBuiltServer(root, { SHUTDOWN_TIMEOUT_MS: '3000' })
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const onAgent = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        get(`${own.url}${path}`, { agent }, (res) => {
          let body = ''
          res.on('data', (chunk) => (body += chunk))
          res.on('end', () => resolve({ status: res.statusCode!, body }))
        }).on('error', reject)
      })
    expect((await onAgent('/healthz')).status).toBe(200) // the connection is now idle, kept alive
    const stoppedAt = performance.now()
    const exitCode = own.stop('SIGTERM')
    // On that connection, once the signal is taken (well within the idle connections' last 0.5 s):
    // answered, and told the process is going (a load balancer stops sending).
    await expect.poll(() => own.output(), { interval: 10 }).toContain('"msg":"shutting down"')
    expect(await onAgent('/readyz')).toEqual({ status: 503, body: JSON.stringify({ status: 'draining' }) })
    expect(await exitCode).toBe(0) // within SHUTDOWN_TIMEOUT_MS: nothing was cut
    expect(performance.now() - stoppedAt).toBeLessThan(2000)
    agent.destroy()
  })

  it('answers a request on a connection opened before the signal and sent after it (a browser’s preconnect)', async () => {
    const own = await startBuiltServer(root)
    const { hostname, port } = new URL(own.url)
    const socket = connect(Number(port), hostname)
    await new Promise((resolve) => socket.once('connect', resolve))
    let answer = ''
    socket.on('data', (chunk) => (answer += chunk))
    const ended = new Promise((resolve) => socket.once('close', resolve))
    const exitCode = own.stop('SIGTERM')
    await expect.poll(() => own.output(), { interval: 10 }).toContain('"msg":"shutting down"')
    await new Promise((resolve) => setTimeout(resolve, 100))
    socket.write(`GET /demo/slow?ms=1000 HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`) // answered past the idle connections' 0.5 s
    await ended
    expect(answer).toMatch(/^HTTP\/1\.1 200 /)
    expect(answer).toContain('The slow part has arrived.')
    expect(await exitCode).toBe(0)
  })

  it('says which database it serves when it listens, and warns of a variable that looks like a misspelt setting, or is empty', async () => {
    const own = await startBuiltServer(root, { DATABASE_PAHT: '/srv/tessera/real.db', LOG_LEVEL: '' })
    const listening = own
      .output()
      .split('\n')
      .find((line) => line.includes('"msg":"listening"'))!
    // The test's own database (a SQLite file, or PostgreSQL's host and database without a password): the typo was not read.
    expect(JSON.parse(listening).database).toMatch(/\.sqlite$|^postgres:\/\/[^@/]+\/\w+$/)
    expect(own.output()).toContain('Warning: DATABASE_PAHT is not a setting Tessera reads: did you mean DATABASE_PATH?')
    // Set to nothing (a template's variable left empty): taken as unset, and said so.
    expect(own.output()).toContain('Warning: LOG_LEVEL is set but empty, so it is taken as unset: info')
    await own.stop('SIGTERM')
  })

  it('records each migration’s checksum from the built files, and warns at the next start of one edited since it ran, naming its file', async () => {
    const location = await testDatabaseLocation(root)
    const first = await startBuiltServer(root, databaseEnv(location))
    await first.stop('SIGTERM')
    expect(first.output()).not.toContain('was edited after it ran')
    const db = openDatabase(location)
    try {
      // Every migration that ran, the domains' and the platform's, has the text of its file in the build.
      const ran = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)
      const summed = await sql<{ name: string }>`select name from tessera_migration_checksums order by name`.execute(db)
      expect(summed.rows).toEqual(ran.rows)
      expect(ran.rows).toContainEqual({ name: 'demo/001-create-notes' })
      // As if the file had said something else when it ran (an edit made since, while it was stopped).
      await sql`update tessera_migration_checksums set checksum = 'before the edit' where name = 'demo/001-create-notes'`.execute(db)
    } finally {
      await db.destroy()
    }
    const second = await startBuiltServer(root, databaseEnv(location))
    await second.stop('SIGTERM')
    expect(second.output()).toContain(
      'Migration demo/001-create-notes (tests/fixtures/domains/demo/migrations/001-create-notes.server.ts) was edited after it ran',
    )
    expect(second.output().match(/was edited after it ran/g)).toHaveLength(1)
  })

  it('gives a URL that works when it listens on an IPv6 address (in brackets)', async () => {
    const own = await startBuiltServer(root, { HOST: '::1' })
    expect(own.url).toMatch(/^http:\/\/\[::1\]:\d+$/)
    expect((await fetch(`${own.url}/healthz`)).status).toBe(200)
    await own.stop('SIGTERM')
  })

  it('goes on serving when its log reader has gone (a closed stdout: `| head`, a crashed collector)', async () => {
    const own = await startBuiltServer(root)
    own.child.stdout!.destroy() // the read end of its stdout, closed: its next writes fail (EPIPE)
    own.child.stderr!.resume()
    for (let i = 0; i < 30; i++) expect((await fetch(`${own.url}/healthz`)).status).toBe(200)
    expect(own.child.exitCode).toBeNull()
    expect(await own.stop('SIGTERM')).toBe(0)
  })

  it('drains at SIGHUP too (the terminal it ran in closed), not cutting the answers in progress', async () => {
    const own = await startBuiltServer(root)
    const inFlight = timedGet(`${own.url}/demo/slow?ms=600`)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const exitCode = own.stop('SIGHUP')
    expect((await inFlight).body.trimEnd().endsWith('</html>')).toBe(true)
    expect(await exitCode).toBe(0)
    expect(own.output()).toContain('"signal":"SIGHUP"')
  })

  it('goes on draining at a second SIGTERM (systemd signals every process of the unit, and the primary its workers)', async () => {
    const own = await startBuiltServer(root)
    const inFlight = timedGet(`${own.url}/demo/slow?ms=600`)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const exitCode = own.stop('SIGTERM')
    own.child.kill('SIGTERM')
    own.child.kill('SIGINT')
    expect((await inFlight).body.trimEnd().endsWith('</html>')).toBe(true)
    expect(await exitCode).toBe(0)
    expect(own.output()).toContain('"msg":"already shutting down"')
  })
})

/** What the server answers to bytes written on a socket as they are, until it closes the connection. */
function rawRequest(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request))
    let answer = ''
    socket.on('data', (chunk) => {
      answer += chunk
    })
    socket.on('end', () => resolve(answer))
    socket.on('error', reject)
  })
}
