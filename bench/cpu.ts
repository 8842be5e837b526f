/**
 * `npm run bench:cpu -- <git ref> [requests]`: server CPU per request, the working tree's Tessera
 * against `ref`'s, both running at once on one pinned core while this process sends their requests
 * in turn (A B A B …, one at a time). Whatever the machine's speed does meanwhile, it does to both:
 * the ratio holds where req/s swings (bench:ab). CPU time is read from /proc/<pid>/stat around
 * each round; 7 rounds, the median of the per-round ratios, for a cache hit with and without
 * gzip, and rendered pages with the page cache off. Writes bench/results/<date>-cpu.md.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { buildRefAndWorkingTree } from './lib/build.ts'
import { startPinned, stop } from './lib/measure.ts'
import { publishReport, reportTime } from './lib/results-file.ts'
import { median } from './lib/stats.ts'

const root = resolve(import.meta.dirname, '..')
const work = join(root, 'bench/.work/cpu')
const [ref, requestsArg = '1000'] = process.argv.slice(2)
if (!ref) {
  console.error('usage: npm run bench:cpu -- <git ref> [requests per server per round]')
  process.exit(2)
}
const requests = Number(requestsArg)
const ROUNDS = 7

type Build = 'base' | 'head'
type Case = { name: string; path: string; pageCache: boolean; headers?: Record<string, string> }
const CASES: Case[] = [
  { name: 'cache hit, gzip (a browser)', path: '/products', pageCache: true, headers: { 'Accept-Encoding': 'gzip' } },
  { name: 'cache hit, no compression', path: '/products', pageCache: true, headers: { 'Accept-Encoding': 'identity' } },
  { name: 'cache hit, a category, gzip', path: '/products?category=kitchen', pageCache: true, headers: { 'Accept-Encoding': 'gzip' } },
  { name: 'rendered /products', path: '/products', pageCache: false },
  { name: 'rendered product page', path: '/products/PRODUCT', pageCache: false },
  { name: 'GET /api/products/1', path: '/api/products/1', pageCache: false },
]

/** Milliseconds of CPU (user + system) the process has used. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10 // clock ticks of 10 ms
}

/** Both builds serving at once (page cache on or off), each on its own port and database, pinned to core 0. */
async function startBoth(dist: Record<Build, string>, pageCache: boolean) {
  const servers = {} as Record<Build, { origin: string; pid: number; stop: () => Promise<void> }>
  for (const [i, build] of (['base', 'head'] as const).entries()) {
    const port = 4121 + i
    const env = {
      DATABASE_PATH: join(work, `${build}.db`),
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...(pageCache ? {} : { PAGE_CACHE_MAX_BYTES: '0' }),
    }
    const { child } = await startPinned(['node', join(dist[build], 'server.js')], env, `http://127.0.0.1:${port}/healthz`)
    // taskset execs node: the pid is the server's own.
    servers[build] = { origin: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => stop(child) }
  }
  return servers
}

async function measureCase(servers: Awaited<ReturnType<typeof startBoth>>, { path, headers }: Case) {
  const { slug } = (await (await fetch(`${servers.base.origin}/api/products/1`)).json()) as { slug: string }
  const urls = { base: `${servers.base.origin}${path.replace('PRODUCT', slug)}`, head: `${servers.head.origin}${path.replace('PRODUCT', slug)}` }
  const perRound: Record<Build, number>[] = []
  for (let round = 0; round <= ROUNDS; round++) {
    const before = { base: cpuMs(servers.base.pid), head: cpuMs(servers.head.pid) }
    for (let i = 0; i < requests; i++) {
      for (const build of ['base', 'head'] as const) await (await fetch(urls[build], { headers })).arrayBuffer()
    }
    // Round 0 warms both up (JIT, the page cache's first render) and is not counted.
    if (round > 0) perRound.push({ base: (cpuMs(servers.base.pid) - before.base) / requests, head: (cpuMs(servers.head.pid) - before.head) / requests })
  }
  return {
    base: median(perRound.map((r) => r.base)),
    head: median(perRound.map((r) => r.head)),
    ratio: median(perRound.map((r) => r.head / r.base)),
    ratios: perRound.map((r) => r.head / r.base),
  }
}

async function main() {
  const dist = buildRefAndWorkingTree(root, ref!, work)
  const rows: string[] = []
  for (const pageCache of [true, false]) {
    const servers = await startBoth(dist, pageCache)
    try {
      for (const item of CASES.filter((c) => c.pageCache === pageCache)) {
        const result = await measureCase(servers, item)
        const row = `| ${item.name} | \`${item.path}\` | ${result.base.toFixed(2)} | ${result.head.toFixed(2)} | **${result.ratio.toFixed(3)}** | ${result.ratios.map((r) => r.toFixed(2)).join(' ')} |`
        console.log(row)
        rows.push(row)
      }
    } finally {
      await servers.base.stop()
      await servers.head.stop()
    }
  }
  const report = [
    `# Server CPU per request: working tree vs ${ref} (${reportTime(new Date())} UTC)`,
    '',
    `Both servers at once on core 0, requests alternating between them one at a time, ${requests} each per round, ${ROUNDS} rounds after a warm-up; CPU from /proc/<pid>/stat. Below 1 is less CPU.`,
    '',
    `| case | URL | ${ref} ms | working tree ms | ratio (median) | rounds |`,
    '| --- | --- | ---: | ---: | ---: | --- |',
    ...rows,
    '',
  ].join('\n')
  publishReport(root, report, { suffix: '-cpu' })
}

await main()
