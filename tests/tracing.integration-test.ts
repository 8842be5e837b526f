import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { serversFor, type ServerProcess } from './support/server-process.ts'
import { timedGet } from './support/http.ts'
import { signUp } from './support/sessions.ts'

const root = inject('builtRoot')
const start = serversFor(root)
const moduleLog = fileURLToPath(new URL('./support/module-log.mjs', import.meta.url))

type Span = {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: number
  attributes: { key: string; value: Record<string, unknown> }[]
  pid?: number
}
const attribute = (span: Span, key: string) => Object.values(span.attributes.find((a) => a.key === key)?.value ?? {})[0]

/** An OTLP/HTTP (JSON) receiver, as a collector would be. */
const spans: Span[] = []
const receiver = createServer(async (req, res) => {
  let body = ''
  for await (const chunk of req) body += chunk
  const sent = JSON.parse(body) as { resourceSpans: { resource: Pick<Span, 'attributes'>; scopeSpans: { spans: Span[] }[] }[] }
  for (const { resource, scopeSpans } of sent.resourceSpans) {
    const pid = Number(attribute(resource as Span, 'process.pid'))
    for (const scope of scopeSpans) spans.push(...scope.spans.map((span) => ({ ...span, pid })))
  }
  res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}')
})
// A service behind a remote domain: notes the traceparent it is sent.
const traceparents: (string | undefined)[] = []
const service = createServer((req: IncomingMessage, res) => {
  traceparents.push(req.headers.traceparent as string | undefined)
  res.end('{}')
})
const urlOf = (server: ReturnType<typeof createServer>) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`
beforeAll(() => Promise.all([receiver, service].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)))))
afterAll(() =>
  Promise.all(
    [receiver, service].map(
      (server) =>
        new Promise((resolve) => {
          server.close(resolve)
          server.closeAllConnections()
        }),
    ),
  ),
)

/** Waits until the trace of the request with this id has arrived (its root span and `count` spans). */
async function traceOf(requestId: string, count: number): Promise<Span[]> {
  for (let i = 0; i < 100; i++) {
    const root = spans.find((span) => attribute(span, 'tessera.request_id') === requestId)
    const trace = root ? spans.filter((span) => span.traceId === root.traceId) : []
    if (trace.length >= count) return trace
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`no trace for ${requestId}; have ${spans.map((s) => s.name).join(', ')}`)
}

describe('tracing, on', () => {
  let server: ServerProcess
  let loaded: string
  beforeAll(async () => {
    loaded = join(mkdtempSync(join(tmpdir(), 'tessera-modules-')), 'loaded.txt')
    server = await start({
      OTEL_EXPORTER_OTLP_ENDPOINT: urlOf(receiver),
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_SERVICE_NAME: 'tessera-test',
      REMOTE_DEMO_URL: urlOf(service),
      FULFILMENT_DELAY_MS: '0',
      JOBS_POLL_MS: '50',
      NODE_OPTIONS: `--import ${moduleLog}`,
      MODULE_LOG: loaded,
    })
  })

  it('gives a page with deferred data one trace: the request named by its route, its loader, the stream and the deferred part', async () => {
    const res = await fetch(`${server.url}/demo/slow?ms=30`)
    await res.text()
    const trace = await traceOf(res.headers.get('X-Request-Id')!, 4)
    const root = trace.find((span) => span.name === 'GET /demo/slow')!
    expect(root).toBeDefined()
    expect(root.parentSpanId ?? '').toBe('')
    expect(attribute(root, 'http.response.status_code')).toBe(200)
    const children = trace.filter((span) => span.parentSpanId === root.spanId).map((span) => span.name)
    expect(children).toEqual(expect.arrayContaining(['loader', 'render', 'deferred']))
    expect(attribute(trace.find((span) => span.name === 'render')!, 'tessera.render')).toBe('stream')
  })

  it("puts each SQL statement (its text, never its values) under the loader that ran it, and the page cache's answer", async () => {
    const res = await fetch(`${server.url}/demo/notes`)
    await res.text()
    const trace = await traceOf(res.headers.get('X-Request-Id')!, 3)
    const loader = trace.find((span) => span.name === 'loader')!
    const sql = trace.filter((span) => span.name === 'sql')
    expect(sql.length).toBeGreaterThan(0)
    for (const span of sql) expect(span.parentSpanId).toBe(loader.spanId)
    expect(String(attribute(sql[0]!, 'db.statement'))).toMatch(/^select /i)
    expect(attribute(trace.find((span) => span.name === 'page-cache')!, 'tessera.cache.state')).toBe('MISS')
  })

  it('writes the trace id in the log lines of the request', async () => {
    const res = await fetch(`${server.url}/demo`)
    const id = res.headers.get('X-Request-Id')!
    const trace = await traceOf(id, 1)
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes(`"requestId":"${id}"`))!
    expect(JSON.parse(line)).toMatchObject({ traceId: trace[0]!.traceId })
  })

  it('sends traceparent to a remote domain, so its service joins the trace', async () => {
    const res = await fetch(`${server.url}/api/remote-demo/x`)
    const trace = await traceOf(res.headers.get('X-Request-Id')!, 2)
    expect(traceparents.at(-1)).toMatch(new RegExp(`^00-${trace[0]!.traceId}-[0-9a-f]{16}-01$`))
  })

  it("links each job's run to the request that queued it: a checkout's notification and fulfilment", async () => {
    const headers = { 'Content-Type': 'application/json', Origin: server.url }
    const cookie = await signUp(server.url, { email: 'traced@example.com', name: 'Traced', password: 'a long password' })
    const call = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { ...headers, Cookie: cookie }, body: JSON.stringify(body) })
    expect((await call('/api/cart/items', { productId: 1, quantity: 1 })).status).toBe(201)
    const placed = await call('/api/orders', {
      shipping: { name: 'A', line1: '1 Road', city: 'Town', postalCode: '12345', country: 'US' },
      card: { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' },
    })
    expect(placed.status).toBe(201)
    const [checkout] = await traceOf(placed.headers.get('X-Request-Id')!, 1)
    for (const type of ['notify', 'fulfil-order']) {
      let job: (Span & { links?: { traceId: string; spanId: string }[] }) | undefined
      for (let i = 0; i < 100 && !job; i++) {
        job = spans.find(
          (span) => span.name === `job ${type}` && (span as { links?: { traceId: string }[] }).links?.some((link) => link.traceId === checkout!.traceId),
        )
        if (!job) await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(job, `a "job ${type}" span linked to the checkout's trace`).toBeDefined()
      expect(job!.traceId).not.toBe(checkout!.traceId) // a trace of its own, linked
    }
  })

  it('makes no trace of its own for work outside a request: the job and page-cache polls', async () => {
    await new Promise((resolve) => setTimeout(resolve, 600)) // a dozen polls of each, idle
    expect(spans.filter((span) => span.name === 'sql' && !span.parentSpanId).map((span) => attribute(span, 'db.statement'))).toEqual([])
  })

  it('loaded the OpenTelemetry code (the control for the check below)', () => {
    expect(readFileSync(loaded, 'utf8')).toMatch(/otel/)
  })
})

describe('tracing, with the collector down', () => {
  it('stops promptly and cleanly on SIGTERM, saying the last spans were not sent', async () => {
    const server = await start({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_BSP_SCHEDULE_DELAY: '60000' })
    // Spans waiting to be sent; no connection kept alive (a shutdown lets one idle out).
    await timedGet(`${server.url}/demo`, { Connection: 'close' })
    const started = performance.now()
    expect(await server.stop('SIGTERM')).toBe(0)
    expect(performance.now() - started).toBeLessThan(4000)
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; msg: string })
    expect(lines.filter((line) => line.level === 'error')).toEqual([])
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['traces not sent at shutdown', 'stopped']))
  })
})

describe('tracing, in a cluster (WORKERS=2)', () => {
  it('has each worker export its own spans', async () => {
    // A fixed port: cluster workers asking for port 0 would each get a port of their own.
    const server = await start({ OTEL_EXPORTER_OTLP_ENDPOINT: urlOf(receiver), OTEL_BSP_SCHEDULE_DELAY: '50', WORKERS: '2', PORT: String(await freePort()) })
    const served = new Map<string, number>() // request id → the pid of the worker that answered
    await expect
      .poll(
        async () => {
          // A new connection each time, so both workers get some.
          const res = await fetch(`${server.url}/healthz`, { headers: { Connection: 'close' } })
          served.set(res.headers.get('X-Request-Id')!, ((await res.json()) as { pid: number }).pid)
          return new Set(served.values()).size
        },
        { timeout: 15_000, interval: 50 },
      )
      .toBe(2)
    for (const [id, pid] of served) {
      const [root] = await traceOf(id, 1)
      expect(root!.pid, `the span of ${id}: exported by the worker that answered it`).toBe(pid)
    }
  })
})

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

describe('tracing, off (no OTLP endpoint)', () => {
  it('loads no OpenTelemetry module at all, and traces nothing', async () => {
    const loaded = join(mkdtempSync(join(tmpdir(), 'tessera-modules-')), 'loaded.txt')
    const server = await start({ NODE_OPTIONS: `--import ${moduleLog}`, MODULE_LOG: loaded })
    const ids: string[] = []
    for (const path of ['/demo/slow?ms=5', '/demo/notes']) {
      const res = await fetch(`${server.url}${path}`)
      await res.text()
      ids.push(res.headers.get('X-Request-Id')!)
    }
    const modules = readFileSync(loaded, 'utf8').split('\n').filter(Boolean)
    expect(modules.some((url) => url.endsWith('/dist/server.js'))).toBe(true)
    expect(modules.filter((url) => /otel|opentelemetry/i.test(url))).toEqual([])
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(spans.filter((span) => ids.includes(String(attribute(span, 'tessera.request_id'))))).toEqual([])
  })
})

describe('tracing, misconfigured', () => {
  it('refuses to start on a bad OTEL_* value: one line naming it on stderr, exit 1', () => {
    const run = spawnSync(process.execPath, [join(root, 'dist/server.js')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', OTEL_TRACES_SAMPLER: 'sometimes' },
      encoding: 'utf8',
      timeout: 15_000,
    })
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/^ {2}OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL, e\.g\. http:\/\/127\.0\.0\.1:4318$/m)
    expect(run.stderr).toMatch(/^ {2}OTEL_TRACES_SAMPLER: must be one of always_on, always_off,/m)
  })
})
