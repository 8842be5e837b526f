/** The results file: throughput per server and URL, each server's other figures, the targets. */
import { existsSync, readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import type { Load } from './measure.ts'
import { publishReport } from './results-file.ts'

export type Row = { server: string; url: string; load: Load }

/** One server's figures besides throughput. */
export interface Facts {
  server: string
  build?: string
  coldStartMs: number
  /** Peak RSS (VmHWM) after all of the server's runs. */
  rssMiB: number
  /** Tessera only: the peak after its extra runs too (gzip, signed in). */
  rssAfterAllMiB?: number
  jsBytes?: number
}

/** Which of the three pages a URL is, to compare like with like across servers. */
type Kind = 'listing' | 'product' | 'api'
const kindOf = (url: string): Kind => (url.includes('/api/') ? 'api' : url.endsWith('/products') || url === '/products-stream' ? 'listing' : 'product')

const pct = (value: number, of: number) => (value && of ? `${Math.round((value / of) * 100)}%` : 'n/a')
const times = (value: number, of: number) => (value && of ? `${(value / of).toFixed(1)}x` : 'n/a')
/** Whether `value` reaches `factor` × `of`; undefined when either was not measured. */
const reaches = (value: number | undefined, of: number | undefined, factor: number) => (value && of ? value >= factor * of : undefined)
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

function versions(root: string) {
  const packages: [string, string][] = [
    ['react', 'node_modules'],
    ['hono', 'node_modules'],
    ['vite', 'node_modules'],
    ['kysely', 'node_modules'],
    ['next', 'bench/apps/next/node_modules'],
    ['vike', 'bench/apps/vike/node_modules'],
    ['vike-react', 'bench/apps/vike/node_modules'],
    ['react-router', 'bench/apps/react-router/node_modules'],
  ]
  return packages
    .map(([name, folder]) => join(root, folder, name, 'package.json'))
    .filter((file) => existsSync(file))
    .map((file) => {
      const { name, version } = JSON.parse(readFileSync(file, 'utf8'))
      return `${name} ${version}`
    })
}

export function writeReport({ root, seconds, rows, facts, write }: { root: string; seconds: number; rows: Row[]; facts: Facts[]; write: boolean }) {
  const rps = (server: string, url: string) => rows.find((row) => row.server === server && row.url === url)?.load.rps ?? 0
  const ceiling = Math.max(rps('bare renderToString', '/products'), rps('bare pipeable stream', '/products-stream'))
  const bareJson = rps('bare node:http JSON', '/api/products/1')
  const next = (kind: Kind) => rows.find((row) => row.server === 'next.js' && kindOf(row.url) === kind)?.load.rps ?? 0
  const tessera = facts.find((f) => f.server === 'tessera')
  const nextFacts = facts.find((f) => f.server === 'next.js')
  const dynamic = rps('tessera', '/products')

  const table = rows.map(
    ({ server, url, load: l }) =>
      `| ${server} | \`${url}\` | ${Math.round(l.rps)}${l.errors ? ` (**${l.errors} errors**)` : ''} | ${l.p50} | ${l.p99} | ${l.bytes} | ${pct(l.rps, kindOf(url) === 'api' ? bareJson : ceiling)} | ${times(l.rps, next(kindOf(url)))} |`,
  )
  const servers = facts.map(
    (f) =>
      `| ${f.server} | ${f.build ?? '—'} | ${f.coldStartMs} ms | ${f.rssMiB} MiB${f.rssAfterAllMiB ? ` (${f.rssAfterAllMiB} MiB after the gzip and signed-in runs too)` : ''} | ${f.jsBytes === undefined ? '—' : kb(f.jsBytes)} |`,
  )
  const targets: [string, string, boolean | undefined][] = [
    ['Dynamic /products ≥ 12x Next.js', times(dynamic, next('listing')), reaches(dynamic, next('listing'), 12)],
    [
      "Peak RSS under load ≤ half of Next.js's",
      tessera && nextFacts ? `${tessera.rssMiB} vs ${nextFacts.rssMiB} MiB` : 'n/a',
      reaches(nextFacts?.rssMiB, tessera?.rssMiB, 2),
    ],
    ['Dynamic /products ≥ 90% of the best bare ceiling', pct(dynamic, ceiling), reaches(dynamic, ceiling, 0.9)],
    [
      'GET /api/products/:id ≥ 80% of bare node:http JSON',
      pct(rps('tessera', '/api/products/1'), bareJson),
      reaches(rps('tessera', '/api/products/1'), bareJson, 0.8),
    ],
    [
      'Page-cache hits within 60% of bare JSON',
      pct(rps('tessera (page cache)', '/products'), bareJson),
      reaches(rps('tessera (page cache)', '/products'), bareJson, 0.6),
    ],
    ['Cold start ≤ 300 ms to the first 200', tessera ? `${tessera.coldStartMs} ms` : 'n/a', tessera && tessera.coldStartMs <= 300],
    [
      'Client JavaScript for /products ≤ 80 KB gzipped',
      tessera?.jsBytes ? kb(tessera.jsBytes) : 'n/a',
      tessera?.jsBytes ? tessera.jsBytes <= 80 * 1024 : undefined,
    ],
  ]
  const report = [
    `# Benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${cpus()[0]?.model} × ${cpus().length}, Node ${process.version}, ${versions(root).join(', ')}. Each server pinned to core 0, wrk (1 thread, 32 connections, ${seconds} s after a 3 s warm-up) to core 1.`,
    '',
    '| server | URL | req/s | p50 | p99 | bytes/response | of ceiling | vs Next.js |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...table,
    '',
    '| server | build | cold start (to the first 200 of /products) | peak RSS under load | client JavaScript for /products (gzip) |',
    '| --- | --- | ---: | ---: | ---: |',
    ...servers,
    '',
    '| target | measured | met |',
    '| --- | --- | --- |',
    ...targets.map(([name, value, met]) => `| ${name} | ${value} | ${met === undefined ? 'n/a' : met ? 'yes' : '**no**'} |`),
    '',
    // What the hardware allows, from the same run: no server rendering this page can beat them.
    `Bounds in this run: the bare ceiling renders /products at ${times(ceiling, next('listing'))} Next.js; Hono on @hono/node-server alone answers the JSON at ${pct(rps('hono floor JSON', '/api/products/1'), bareJson)} of bare node:http, ${pct(rps('hono + security headers', '/with-headers/api/products/1'), bareJson)} with Tessera's security headers and request id; it sends the bytes of the /products page (what a cache hit sends) at ${pct(rps('hono floor, page bytes', '/products'), bareJson)} of bare JSON, ${pct(rps('hono + security headers, page bytes', '/with-headers/products'), bareJson)} with those headers.`,
    '',
  ].join('\n')
  publishReport(root, report, { partial: write ? '' : 'BENCH_ONLY' })
}
