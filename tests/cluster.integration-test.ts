import { get } from 'node:http'
import { createServer } from 'node:net'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { timedGet } from './support/http.ts'
import { startBuiltServer, type ServerProcess } from './support/server-process.ts'

let server: ServerProcess | undefined
afterAll(() => server?.stop('SIGKILL'))

/** Which processes answer: each request on a new connection (a kept-alive one stays with its worker). */
const pids = async (url: string, requests = 40) => new Set(await Promise.all(Array.from({ length: requests }, () => pidOf(url))))

function pidOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = get(`${url}/healthz`, { agent: false }, (res) => {
      let body = ''
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve(JSON.parse(body).pid))
    })
    // A connection handed to a worker as it was killed is lost: count it as nobody.
    req.setTimeout(2000, () => req.destroy())
    req.on('error', () => resolve(-1))
  })
}

describe('WORKERS=2', () => {
  it('serves from two processes, replaces a crashed one, and stops them all on SIGTERM with exit 0', async () => {
    // A fixed port: cluster workers asking for port 0 would each get a port of their own.
    server = await startBuiltServer(inject('builtRoot'), { WORKERS: '2', PORT: String(await freePort()), METRICS_PORT: '0' })
    // Worker 0 answers first; the other joins once it has started.
    await expect.poll(async () => (await pids(server!.url)).size, { timeout: 10_000, interval: 100 }).toBe(2)
    const first = await pids(server.url)

    // METRICS_PORT: the primary serves /metrics on 127.0.0.1, the sum over every worker; the
    // public port does not serve it.
    const metricsUrl = /"msg":"metrics listening","url":"([^"]+)"/.exec(server.output())![1]!
    const metrics = await (await fetch(metricsUrl)).text()
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404)
    const healthz = Number(/http_requests_total\{method="GET",route="\/healthz",status="200"\} (\d+)/.exec(metrics)?.[1])
    expect(healthz).toBeGreaterThanOrEqual(80) // two rounds of 40, answered by two workers
    expect(server.output().match(/"msg":"catalogue seeded"/g)).toHaveLength(1) // start-up work ran once

    const [victim] = first
    process.kill(victim!, 'SIGKILL')
    await expect.poll(async () => [...(await pids(server!.url, 30))].some((pid) => pid > 0 && !first.has(pid)), { timeout: 10_000, interval: 200 }).toBe(true)
    expect(server.output()).toContain('worker died: replacing it')

    expect(await server.stop('SIGTERM')).toBe(0)
  })
})

describe('WORKERS=2, stopped by a supervisor', () => {
  it('answers the requests in flight when every process gets SIGTERM at once (systemd without KillMode=mixed)', async () => {
    const own = await startBuiltServer(inject('builtRoot'), { WORKERS: '2', PORT: String(await freePort()) })
    await expect.poll(async () => (await pids(own.url)).size, { timeout: 10_000, interval: 100 }).toBe(2)
    const workers = [...(await pids(own.url))]
    const inFlight = timedGet(`${own.url}/demo/slow?ms=800`)
    await new Promise((resolve) => setTimeout(resolve, 200))
    for (const pid of workers) process.kill(pid, 'SIGTERM')
    const exitCode = own.stop('SIGTERM')
    expect((await inFlight).body.trimEnd().endsWith('</html>')).toBe(true)
    expect(await exitCode).toBe(0)
  })

  it('stops (exit 1) when the first worker fails at start-up, instead of replacing it forever', async () => {
    // Each worker exits at once, as one that cannot open its database would.
    const failing = `data:text/javascript,${encodeURIComponent('import cluster from "node:cluster"; if (cluster.isWorker) process.exit(1)')}`
    const own = startBuiltServer(inject('builtRoot'), { WORKERS: '2', PORT: String(await freePort()), NODE_OPTIONS: `--import=${failing}` })
    const failure = await own.then(
      () => 'it started',
      (err: Error) => err.message,
    )
    expect(failure).toMatch(/^server exited with 1:/)
    expect(failure).toContain('"msg":"the first worker failed at start-up: stopping"')
  })
})

describe('WORKERS=2, logging into a pipe its reader is slow to empty', () => {
  it("writes every line whole: one JSON object a line, none cut by another worker's", async () => {
    const own = await startBuiltServer(inject('builtRoot'), { WORKERS: '2', PORT: String(await freePort()) })
    await expect.poll(async () => (await pids(own.url)).size, { timeout: 10_000, interval: 100 }).toBe(2)
    // Lines of ~1.6 KB each, from both workers, while the pipe (64 KiB) is full: each worker's
    // batches are written in pieces as the reader makes room.
    const path = `/nothing-${'y'.repeat(1500)}`
    const requests = 400
    own.child.stdout!.pause()
    let sent = 0
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (sent++ < requests) await fetch(`${own.url}${path}`, { headers: { Connection: 'close' } }).then((res) => res.arrayBuffer())
      }),
    )
    // The reader drains little by little, as a busy log shipper does.
    const throttle = setInterval(() => {
      own.child.stdout!.resume()
      setTimeout(() => own.child.stdout!.pause(), 1)
    }, 5)
    const logged = () => own.output().split(path).length - 1
    for (const until = Date.now() + 15_000; logged() < requests && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 100))
    clearInterval(throttle)
    own.child.stdout!.resume()
    const lines = own.output().trimEnd().split('\n')
    const broken = lines.filter((line) => {
      try {
        return typeof JSON.parse(line) !== 'object'
      } catch {
        return true
      }
    })
    expect(broken.map((line) => line.slice(0, 120))).toEqual([])
    expect(logged()).toBe(requests)
    expect(await own.stop('SIGTERM')).toBe(0)
  })
})

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}
