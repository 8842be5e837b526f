/**
 * `npm run bench:servers` (the servers section of `npm run bench`): Tessera against Next.js 16,
 * Vike, React Router 7 and the bare react-dom/server ceiling, one core each, measured in one run,
 * in turn. Writes bench/results/<date>.md. See
 * bench/README.md for the method. BENCH_ONLY=next,vike (any of tessera, bare, next, vike,
 * react-router) measures a subset and prints the report without writing a results file;
 * BENCH_SECONDS sets each measured run's length.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { buildTessera } from './lib/build.ts'
import { prepareApp, type AppName, type PreparedApp } from './lib/apps.ts'
import { clientJsGzipBytes, ensureWrk, load, peakRssMiB, requireQuietMachine, startPinned, stop } from './lib/measure.ts'
import { writeReport, type Facts, type Row } from './lib/report.ts'
import { requireSameMarkup } from './lib/same-markup.ts'

const root = resolve(import.meta.dirname, '..')
const work = join(root, 'bench/.work/servers')
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const groups = ['tessera', 'bare', 'next', 'vike', 'react-router'] as const
const only = new Set(process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((name) => name.trim()) : groups)
for (const name of only)
  if (!groups.includes(name as (typeof groups)[number])) throw new Error(`BENCH_ONLY: unknown server "${name}" (use ${groups.join(', ')})`)
const rows: Row[] = []
const facts: Facts[] = []

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
  buildTessera(root, join(work, 'dist'))
  const buildMs = Math.round(performance.now() - buildStart)
  // The ceiling and the framework floor are built by the same toolchain (Vite, production React),
  // not run through tsx.
  if (only.has('bare')) {
    for (const [entry, out] of [
      ['bench/bare/server.tsx', 'bare'],
      ['bench/bare/hono-floor.ts', 'hono'],
    ]) {
      execFileSync('npx', ['vite', 'build', '--ssr', entry!, '--logLevel', 'error'], {
        cwd: root,
        env: { ...process.env, NODE_ENV: 'production', TESSERA_OUT_DIR: join(work, out!) },
        stdio: ['ignore', 'ignore', 'inherit'],
      })
    }
  }
  const ports: Record<AppName, number> = { next: 4104, vike: 4105, 'react-router': 4107 }
  const apps = (['next', 'vike', 'react-router'] as const).filter((name) => only.has(name)).map((name) => prepareApp(root, name, ports[name]))

  const db = join(work, 'bench.db')
  const base = { DATABASE_PATH: db, HOST: '127.0.0.1', LOG_LEVEL: 'info', ADMIN_EMAIL: 'bench@example.com', ADMIN_PASSWORD: 'bench password' }
  const tessera = ['node', join(work, 'dist/server.js')]

  // Tessera, page cache off: every request renders (the dynamic figure). It also creates and
  // seeds the database every other server reads, so it starts even when it is not measured.
  const dynamic = await startPinned(tessera, { ...base, PORT: '4101', PAGE_CACHE_MAX_BYTES: '0' }, 'http://127.0.0.1:4101/healthz')
  const t = 'http://127.0.0.1:4101'
  const product = await (await fetch(`${t}/api/products/1`)).json()
  // What every server must send for /products: Tessera's page, less its per-response CSP nonces.
  const reference = (await (await fetch(`${t}/products`)).text()).replaceAll(/ nonce="[^"]*"/g, '')
  const productReference = await (await fetch(`${t}/products/${product.slug}`)).text()
  let tesseraFacts: Omit<Facts, 'coldStartMs'> | undefined
  if (only.has('tessera')) {
    const login = await fetch(`${t}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: t },
      body: JSON.stringify({ email: 'bench@example.com', password: 'bench password' }),
    })
    const session = login.headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0])
      .join('; ')
    const jsBytes = await clientJsGzipBytes(`${t}/products`)
    await measure('tessera', `${t}/products`)
    await measure('tessera', `${t}/products/${product.slug}`)
    await measure('tessera', `${t}/api/products/1`)
    // Peak RSS after the same three URLs every server serves; then after Tessera's extra runs.
    const rssMiB = peakRssMiB(dynamic.child.pid!)
    await measure('tessera (gzip)', `${t}/products`, { headers: { 'Accept-Encoding': 'gzip' } })
    await measure('tessera (signed in)', `${t}/products`, { headers: { Cookie: session } })
    tesseraFacts = { server: 'tessera', build: `vite build (client + server) ${buildMs} ms`, rssMiB, rssAfterAllMiB: peakRssMiB(dynamic.child.pid!), jsBytes }
  }
  await stop(dynamic.child)

  if (only.has('tessera')) {
    // Tessera with its page cache (anonymous visitors). Its start is the cold start: a restart on
    // an existing database, as in production, to the first 200 of /products.
    const cached = await startPinned(tessera, { ...base, PORT: '4102' }, 'http://127.0.0.1:4102/products')
    facts.push({ ...tesseraFacts!, coldStartMs: cached.coldStartMs })
    await measure('tessera (page cache)', 'http://127.0.0.1:4102/products')
    // What a browser gets: the cached page's gzipped copy (kept with the page since 2026-11-30).
    await measure('tessera (page cache, gzip)', 'http://127.0.0.1:4102/products', { headers: { 'Accept-Encoding': 'gzip' } })
    await stop(cached.child)
  }

  if (only.has('bare')) {
    // The ceiling: react-dom/server on bare node:http, the same page from the same data.
    const origin = 'http://127.0.0.1:4103'
    const manifest = join(work, 'dist/client/.vite/manifest.json')
    const bare = await startPinned(
      ['node', join(work, 'bare/server.js')],
      { DATABASE_PATH: db, PORT: '4103', NODE_ENV: 'production', CLIENT_MANIFEST: manifest },
      `${origin}/products`,
    )
    if ((await (await fetch(`${origin}/products`)).text()) !== reference)
      throw new Error("The bare ceiling's /products differs from Tessera's: the comparison would not be like for like.")
    await requireSameMarkup('bare pipeable stream', `${origin}/products-stream`, reference)
    await measure('bare renderToString', `${origin}/products`)
    await measure('bare pipeable stream', `${origin}/products-stream`)
    await measure('bare node:http JSON', `${origin}/api/products/1`)
    facts.push({ server: 'bare', coldStartMs: bare.coldStartMs, rssMiB: peakRssMiB(bare.child.pid!) })
    await stop(bare.child)

    // The framework's floor: Hono on @hono/node-server alone, then with Tessera's security headers
    // and request id, for the JSON and for the page's bytes. What Tessera's API and cache-hit
    // figures can be read against.
    const pageFile = join(work, 'products.html')
    writeFileSync(pageFile, reference)
    const floor = await startPinned(
      ['node', join(work, 'hono/server.js')],
      { DATABASE_PATH: db, PAGE_FILE: pageFile, PORT: '4106', NODE_ENV: 'production' },
      'http://127.0.0.1:4106/api/products/1',
    )
    await measure('hono floor JSON', 'http://127.0.0.1:4106/api/products/1')
    await measure('hono + security headers', 'http://127.0.0.1:4106/with-headers/api/products/1')
    await measure('hono floor, page bytes', 'http://127.0.0.1:4106/products')
    await measure('hono + security headers, page bytes', 'http://127.0.0.1:4106/with-headers/products')
    await stop(floor.child)
  }

  for (const app of apps) await measureApp(app, db, product.slug, reference, productReference)
  writeReport({ root, seconds, rows, facts, write: !process.env.BENCH_ONLY })
}

/** A comparison app: the same three URLs, its cold start, peak RSS and client JavaScript. */
async function measureApp(app: PreparedApp, db: string, slug: string, reference: string, productReference: string) {
  const server = { next: 'next.js', vike: 'vike', 'react-router': 'react-router' }[app.name]
  const origin = `http://127.0.0.1:${app.port}`
  const started = await startPinned(app.command, { ...app.env, DATABASE_PATH: db }, `${origin}/products`, '0', app.cwd)
  await requireSameMarkup(server, `${origin}/products`, reference)
  await requireSameMarkup(server, `${origin}/products/${slug}`, productReference, 'product page')
  const jsBytes = await clientJsGzipBytes(`${origin}/products`)
  await measure(server, `${origin}/products`)
  await measure(server, `${origin}/products/${slug}`)
  await measure(server, `${origin}/api/products/1`)
  facts.push({ server, build: `${app.builder} ${app.buildMs} ms`, coldStartMs: started.coldStartMs, rssMiB: peakRssMiB(started.child.pid!), jsBytes })
  await stop(started.child)
}

await main()
