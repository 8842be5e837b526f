/**
 * `npm run bench`: Tessera against the bare react-dom/server ceiling, one core each, measured in
 * one run, in turn. Writes bench/results/<date>.md. See bench/README.md for the method.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join, resolve } from 'node:path'
import { clientJsGzipBytes, load, peakRssMiB, requireQuietMachine, startPinned, type Load } from './lib/measure.ts'

const root = resolve(import.meta.dirname, '..')
const work = join(root, 'bench/.work')
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
type Row = { server: string; url: string; load: Load }
const rows: Row[] = []
const notes: string[] = []

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
  const buildStart = performance.now()
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, env: { ...process.env, TESSERA_OUT_DIR: join(work, 'dist') }, stdio: ['ignore', 'ignore', 'inherit'] })
  const buildMs = Math.round(performance.now() - buildStart)
  const db = join(work, 'bench.db')
  const base = { DATABASE_PATH: db, HOST: '127.0.0.1', LOG_LEVEL: 'info', ADMIN_EMAIL: 'bench@example.com', ADMIN_PASSWORD: 'bench password' }
  const tessera = ['node', join(work, 'dist/server.js')]

  // Tessera, page cache off: every request renders (the dynamic figure).
  const dynamic = await startPinned(tessera, { ...base, PORT: '4101', PAGE_CACHE_MAX_BYTES: '0' }, 'http://127.0.0.1:4101/healthz')
  const t = 'http://127.0.0.1:4101'
  const product = await (await fetch(`${t}/api/products/1`)).json()
  const login = await fetch(`${t}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: t }, body: JSON.stringify({ email: 'bench@example.com', password: 'bench password' }) })
  const session = login.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ')
  const jsBytes = await clientJsGzipBytes(`${t}/products`)
  await measure('tessera', `${t}/products`)
  await measure('tessera', `${t}/products/${product.slug}`)
  await measure('tessera', `${t}/api/products/1`)
  await measure('tessera (gzip)', `${t}/products`, { headers: { 'Accept-Encoding': 'gzip' } })
  await measure('tessera (signed in)', `${t}/products`, { headers: { Cookie: session } })
  const tesseraRss = peakRssMiB(dynamic.child.pid!)
  dynamic.child.kill('SIGTERM')

  // Tessera with its page cache (anonymous visitors).
  const cached = await startPinned(tessera, { ...base, PORT: '4102' }, 'http://127.0.0.1:4102/healthz')
  await measure('tessera (page cache)', 'http://127.0.0.1:4102/products')
  cached.child.kill('SIGTERM')

  // The ceiling: react-dom/server on bare node:http, same data, same card markup.
  const bare = await startPinned(['node', '--import', 'tsx', join(root, 'bench/bare/server.tsx')], { DATABASE_PATH: db, PORT: '4103', NODE_ENV: 'production' }, 'http://127.0.0.1:4103/products')
  await measure('bare renderToString', 'http://127.0.0.1:4103/products')
  await measure('bare pipeable stream', 'http://127.0.0.1:4103/products-stream')
  await measure('bare node:http JSON', 'http://127.0.0.1:4103/api/products/1')
  bare.child.kill('SIGTERM')

  notes.push('Next.js 16 and Vike are not measured yet (next session): ratios to Next.js are missing.')
  writeReport({ buildMs, jsBytes, tesseraRss, coldStartMs: dynamic.coldStartMs })
}

function writeReport({ buildMs, jsBytes, tesseraRss, coldStartMs }: { buildMs: number; jsBytes: number; tesseraRss: number; coldStartMs: number }) {
  const rps = (server: string, url: string) => rows.find((row) => row.server === server && row.url === url)?.load.rps ?? 0
  const ceiling = Math.max(rps('bare renderToString', '/products'), rps('bare pipeable stream', '/products-stream'))
  const bareJson = rps('bare node:http JSON', '/api/products/1')
  const versions = ['react', 'hono', 'vite', 'kysely'].map((name) => `${name} ${JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version}`)
  const pct = (value: number, of: number) => (of ? `${Math.round((value / of) * 100)}%` : 'n/a')
  const table = rows.map(({ server, url, load: l }) => `| ${server} | \`${url}\` | ${Math.round(l.rps)} | ${l.p50} | ${l.p99} | ${l.bytes} | ${pct(l.rps, url.startsWith('/api') ? bareJson : ceiling)} |`)
  const targets = [
    ['Dynamic /products ≥ 90% of the best bare ceiling', pct(rps('tessera', '/products'), ceiling), rps('tessera', '/products') >= 0.9 * ceiling],
    ['GET /api/products/:id ≥ 80% of bare node:http JSON', pct(rps('tessera', '/api/products/1'), bareJson), rps('tessera', '/api/products/1') >= 0.8 * bareJson],
    ['Page-cache hits within 60% of bare JSON', pct(rps('tessera (page cache)', '/products'), bareJson), rps('tessera (page cache)', '/products') >= 0.6 * bareJson],
    ['Cold start ≤ 300 ms to the first 200', `${coldStartMs} ms`, coldStartMs <= 300],
    ['Client JavaScript for /products ≤ 80 KB gzipped', `${(jsBytes / 1024).toFixed(1)} KB`, jsBytes <= 80 * 1024],
  ]
  const report = [
    `# Benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${cpus()[0]?.model} × ${cpus().length}, Node ${process.version}, ${versions.join(', ')}. Each server pinned to core 0, wrk (1 thread, 32 connections, ${seconds} s after a 3 s warm-up) to core 1.`,
    '',
    '| server | URL | req/s | p50 | p99 | bytes/response | of ceiling |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...table,
    '',
    `Tessera: build (client + server) ${buildMs} ms; cold start ${coldStartMs} ms to the first 200; peak RSS ${tesseraRss} MiB; client JavaScript for /products ${(jsBytes / 1024).toFixed(1)} KB gzipped.`,
    '',
    '| target | measured | met |',
    '| --- | --- | --- |',
    ...targets.map(([name, value, met]) => `| ${name} | ${value} | ${met ? 'yes' : '**no**'} |`),
    '',
    ...notes.map((note) => `- ${note}`),
    '',
  ].join('\n')
  mkdirSync(join(root, 'bench/results'), { recursive: true })
  const file = join(root, 'bench/results', `${new Date().toISOString().slice(0, 16).replace(/[T:]/g, '-')}.md`)
  writeFileSync(file, report)
  console.log(`\n${report}\nWritten to ${file}`)
}

await main()
