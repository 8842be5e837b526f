/**
 * `npm run bench`: Tessera against Next.js 16, Vike and the bare react-dom/server ceiling, one core
 * each, measured in one run, in turn. Writes bench/results/<date>.md. See bench/README.md for the
 * method. BENCH_ONLY=next,vike (any of tessera, bare, next, vike) measures a subset and prints the
 * report without writing a results file; BENCH_SECONDS sets each measured run's length.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { prepareApp, type AppName, type PreparedApp } from './lib/apps.ts'
import { clientJsGzipBytes, load, peakRssMiB, requireQuietMachine, startPinned } from './lib/measure.ts'
import { writeReport, type Facts, type Row } from './lib/report.ts'

const root = resolve(import.meta.dirname, '..')
const work = join(root, 'bench/.work')
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const groups = ['tessera', 'bare', 'next', 'vike'] as const
const only = new Set(process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((name) => name.trim()) : groups)
for (const name of only) if (!groups.includes(name as (typeof groups)[number])) throw new Error(`BENCH_ONLY: unknown server "${name}" (use ${groups.join(', ')})`)
const rows: Row[] = []
const facts: Facts[] = []

function ensureWrk() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' })
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') return // wrk --version exits 1 but exists
    if (process.getuid?.() !== 0) throw new Error('wrk is missing: install it (Debian: sudo apt-get install -y wrk).')
    execFileSync('apt-get', ['install', '-y', '-qq', 'wrk'], { stdio: 'inherit' })
  }
}

async function measure(server: string, url: string, options: Parameters<typeof load>[1] = {}) {
  await requireQuietMachine()
  const result = load(url, { seconds, ...options })
  rows.push({ server, url: url.replace(/^http:\/\/127\.0\.0\.1:\d+/, ''), load: result })
  console.log(`${server.padEnd(22)} ${rows.at(-1)!.url.padEnd(40)} ${String(Math.round(result.rps)).padStart(7)} req/s  p50 ${result.p50}  p99 ${result.p99}`)
}

async function main() {
  ensureWrk()
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  // Every build first, so none of them runs while something is measured.
  const buildStart = performance.now()
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, env: { ...process.env, TESSERA_OUT_DIR: join(work, 'dist') }, stdio: ['ignore', 'ignore', 'inherit'] })
  const buildMs = Math.round(performance.now() - buildStart)
  const ports: Record<AppName, number> = { next: 4104, vike: 4105 }
  const apps = (['next', 'vike'] as const).filter((name) => only.has(name)).map((name) => prepareApp(root, name, ports[name]))

  const db = join(work, 'bench.db')
  const base = { DATABASE_PATH: db, HOST: '127.0.0.1', LOG_LEVEL: 'info', ADMIN_EMAIL: 'bench@example.com', ADMIN_PASSWORD: 'bench password' }
  const tessera = ['node', join(work, 'dist/server.js')]

  // Tessera, page cache off: every request renders (the dynamic figure). It also creates and
  // seeds the database every other server reads, so it starts even when it is not measured.
  const dynamic = await startPinned(tessera, { ...base, PORT: '4101', PAGE_CACHE_MAX_BYTES: '0' }, 'http://127.0.0.1:4101/healthz')
  const t = 'http://127.0.0.1:4101'
  const product = await (await fetch(`${t}/api/products/1`)).json()
  if (only.has('tessera')) {
    const login = await fetch(`${t}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: t }, body: JSON.stringify({ email: 'bench@example.com', password: 'bench password' }) })
    const session = login.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ')
    const jsBytes = await clientJsGzipBytes(`${t}/products`)
    await measure('tessera', `${t}/products`)
    await measure('tessera', `${t}/products/${product.slug}`)
    await measure('tessera', `${t}/api/products/1`)
    await measure('tessera (gzip)', `${t}/products`, { headers: { 'Accept-Encoding': 'gzip' } })
    await measure('tessera (signed in)', `${t}/products`, { headers: { Cookie: session } })
    facts.push({ server: 'tessera', build: `vite build (client + server) ${buildMs} ms`, coldStartMs: dynamic.coldStartMs, coldStartUrl: '/healthz', rssMiB: peakRssMiB(dynamic.child.pid!), jsBytes })
  }
  dynamic.child.kill('SIGTERM')

  if (only.has('tessera')) {
    // Tessera with its page cache (anonymous visitors).
    const cached = await startPinned(tessera, { ...base, PORT: '4102' }, 'http://127.0.0.1:4102/healthz')
    await measure('tessera (page cache)', 'http://127.0.0.1:4102/products')
    cached.child.kill('SIGTERM')
  }

  if (only.has('bare')) {
    // The ceiling: react-dom/server on bare node:http, same data, same card markup.
    const bare = await startPinned(['node', '--import', 'tsx', join(root, 'bench/bare/server.tsx')], { DATABASE_PATH: db, PORT: '4103', NODE_ENV: 'production' }, 'http://127.0.0.1:4103/products')
    await measure('bare renderToString', 'http://127.0.0.1:4103/products')
    await measure('bare pipeable stream', 'http://127.0.0.1:4103/products-stream')
    await measure('bare node:http JSON', 'http://127.0.0.1:4103/api/products/1')
    facts.push({ server: 'bare (through tsx)', coldStartMs: bare.coldStartMs, coldStartUrl: '/products', rssMiB: peakRssMiB(bare.child.pid!) })
    bare.child.kill('SIGTERM')
  }

  for (const app of apps) await measureApp(app, db, product.slug)
  writeReport({ root, seconds, rows, facts, write: !process.env.BENCH_ONLY })
}

/** A comparison app: the same three URLs, its cold start, peak RSS and client JavaScript. */
async function measureApp(app: PreparedApp, db: string, slug: string) {
  const server = { next: 'next.js', vike: 'vike' }[app.name]
  const origin = `http://127.0.0.1:${app.port}`
  const started = await startPinned(app.command, { ...app.env, DATABASE_PATH: db }, `${origin}/products`)
  const jsBytes = await clientJsGzipBytes(`${origin}/products`)
  await measure(server, `${origin}/products`)
  await measure(server, `${origin}/products/${slug}`)
  await measure(server, `${origin}/api/products/1`)
  facts.push({ server, build: `${app.builder} ${app.buildMs} ms`, coldStartMs: started.coldStartMs, coldStartUrl: '/products', rssMiB: peakRssMiB(started.child.pid!), jsBytes })
  started.child.kill('SIGTERM')
}

await main()
