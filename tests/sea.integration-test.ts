import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

const projectRoot = resolve(import.meta.dirname, '..')
const builtRoot = inject('builtRoot')
let dir: string
let executable: string
const children: ChildProcess[] = []

beforeAll(async () => {
  // Packs the client build this run already made (with the fixture domains) into dist/tessera.
  const { VITEST: _, ...parentEnv } = process.env
  const env = { ...parentEnv, TESSERA_OUT_DIR: join(builtRoot, 'dist'), TESSERA_FIXTURES: '1' }
  execFileSync(process.execPath, [join(projectRoot, '.ci/sea.mjs')], { cwd: projectRoot, env, stdio: 'ignore' })
  dir = await mkdtemp(join(tmpdir(), 'tessera-sea-test-'))
  executable = join(dir, 'tessera')
  await copyFile(join(builtRoot, 'dist/tessera'), executable)
}, 180_000)
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** The variables an operator would set; TMPDIR keeps the extracted addon inside the test's folder. */
const envIn = (folder: string, env: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  PORT: '0',
  HOST: '127.0.0.1',
  DATABASE_PATH: join(folder, 'tessera.db'),
  TMPDIR: join(folder, 'tmp'),
  ...env,
})

/** Runs `./tessera` in its folder until `listeners` processes listen; resolves with its URL. */
async function start(env: Record<string, string> = {}, listeners = 1) {
  const child = spawn(executable, [], { cwd: dir, env: envIn(dir, env), stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start:\n${output}`)), 20_000)
    const read = (data: Buffer) => {
      output += data
      const match = /"msg":"listening","url":"([^"]+)"/.exec(output)
      if (match && output.match(/"msg":"listening"/g)!.length >= listeners) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    void exited.then((code) => reject(new Error(`exited with ${code}:\n${output}`)))
  })
  return {
    url,
    stop: () => {
      child.kill('SIGTERM')
      return exited
    },
  }
}

const extractedAddon = () => readdirSync(join(dir, 'tmp')).map((name) => join(dir, 'tmp', name, 'better_sqlite3.node'))

describe('the single executable (npm run build:sea)', () => {
  it('serves the store from a folder holding nothing else', async () => {
    expect(readdirSync(dir)).toEqual(['tessera'])
    const server = await start()
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    const page = await fetch(`${server.url}/products`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('product-card')

    // The client build, served from the executable's memory as dist/server.js serves it from disk.
    const script = /"entry":"(\/assets\/entry-client-[^"]+\.js)"/.exec(html)?.[1]
    expect(script).toBeDefined()
    const asset = await fetch(`${server.url}${script}`)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await asset.text()).toBe(await readFile(join(builtRoot, 'dist/client', script!), 'utf8'))
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404)

    // better-sqlite3's addon: extracted from the executable to <TMPDIR>/tessera-<hash>/.
    expect(extractedAddon()).toHaveLength(1)
    expect(existsSync(extractedAddon()[0]!)).toBe(true)
    expect(await server.stop()).toBe(0)
  })

  it('runs the commands: --help and backup', () => {
    const help = execFileSync(executable, ['--help'], { cwd: dir, env: envIn(dir), encoding: 'utf8' })
    expect(help).toMatch(/^Usage: tessera \[command\]/)
    expect(help).toContain('backup [file]')
    const backup = execFileSync(executable, ['backup', 'backup.db'], { cwd: dir, env: envIn(dir), encoding: 'utf8' })
    expect(backup).toContain('Backed up')
    expect(statSync(join(dir, 'backup.db')).size).toBeGreaterThan(100_000)
  })

  // The OTLP exporter loads node:http with import(), which the executable could not run until
  // its bundle turned such imports into require() (vite.config.ts, dynamicImportInCjs).
  it('traces: the executable exports its spans over OTLP/HTTP when given an endpoint', async () => {
    const names: string[] = []
    const receiver = createServer(async (req, res) => {
      let body = ''
      for await (const chunk of req) body += chunk
      const sent = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] }
      for (const resource of sent.resourceSpans) for (const scope of resource.scopeSpans) names.push(...scope.spans.map((span) => span.name))
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}')
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    try {
      const server = await start({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`, OTEL_BSP_SCHEDULE_DELAY: '50' })
      expect((await fetch(`${server.url}/products`)).status).toBe(200)
      await expect.poll(() => names, { timeout: 10_000, interval: 50 }).toEqual(expect.arrayContaining(['GET /products', 'loader', 'sql', 'render']))
      expect(await server.stop()).toBe(0)
    } finally {
      receiver.closeAllConnections()
      receiver.close()
    }
  })

  it('forks its cluster workers from itself (WORKERS=2), reusing the extracted addon, and stops them all', async () => {
    const addon = extractedAddon()[0]!
    const extractedAt = statSync(addon).mtimeMs
    const server = await start({ WORKERS: '2' }, 2)
    for (let i = 0; i < 4; i++) expect((await fetch(`${server.url}/products`)).status).toBe(200)
    expect(statSync(addon).mtimeMs).toBe(extractedAt)
    expect(await server.stop()).toBe(0)
  })
})
