/**
 * `npm run bench:ab -- <git ref> [rounds]`: the working tree's Tessera against the same server
 * built from an earlier commit, measured in alternating rounds (A B, then B A, …) on one pinned
 * core, and reported as the median of the per-round ratios. On this shared machine absolute
 * figures swing several-fold within an hour; a ratio taken minutes apart, many times, does not.
 * BENCH_SECONDS sets each measured run (default 5). See bench/README.md.
 */
import { join, resolve } from 'node:path'
import { buildRefAndWorkingTree } from './lib/build.ts'
import { load, machineBusy, startPinned, stop } from './lib/measure.ts'
import { median } from './lib/stats.ts'

const root = resolve(import.meta.dirname, '..')
const work = join(root, 'bench/.work/ab')
const [ref, roundsArg = '5'] = process.argv.slice(2)
if (!ref) {
  console.error('usage: npm run bench:ab -- <git ref> [rounds]')
  process.exit(2)
}
const rounds = Number(roundsArg)
const seconds = Number(process.env.BENCH_SECONDS ?? 5)

const paths = ['/products', '/products/PRODUCT', '/api/products/1', '/products (page cache)'] as const
type Figures = Record<(typeof paths)[number], number>

/** One server's figures in one round: page cache off for the dynamic paths, then on. */
async function measureOnce(dist: string, db: string): Promise<Figures> {
  const env = { DATABASE_PATH: db, HOST: '127.0.0.1', PORT: '4111', LOG_LEVEL: 'info' }
  const origin = 'http://127.0.0.1:4111'
  const figures = {} as Figures
  const dynamic = await startPinned(['node', join(dist, 'server.js')], { ...env, PAGE_CACHE_MAX_BYTES: '0' }, `${origin}/healthz`)
  const { slug } = (await (await fetch(`${origin}/api/products/1`)).json()) as { slug: string }
  for (const path of paths.slice(0, 3)) figures[path] = load(`${origin}${path.replace('PRODUCT', slug)}`, { seconds }).rps
  await stop(dynamic.child)
  const cached = await startPinned(['node', join(dist, 'server.js')], env, `${origin}/products`)
  figures['/products (page cache)'] = load(`${origin}/products`, { seconds }).rps
  await stop(cached.child)
  return figures
}

async function main() {
  const dist = buildRefAndWorkingTree(root, ref!, work)
  const ratios: Record<string, number[]> = Object.fromEntries(paths.map((path) => [path, []]))
  for (let round = 1; round <= rounds; round++) {
    const busy = await machineBusy()
    if (busy > 0.15) console.log(`(machine ${Math.round(busy * 100)}% busy: the alternation keeps the ratio fair, the absolute figures are low)`)
    const order = round % 2 ? (['base', 'head'] as const) : (['head', 'base'] as const)
    const figures = {} as Record<'base' | 'head', Figures>
    // Each build keeps its own database (its own migrations), seeded alike on first start.
    for (const name of order) figures[name] = await measureOnce(dist[name], join(work, `${name}.db`))
    for (const path of paths) ratios[path]!.push(figures.head[path] / figures.base[path])
    console.log(`round ${round}: ${paths.map((path) => `${path} ${Math.round(figures.base[path])} → ${Math.round(figures.head[path])}`).join(' · ')}`)
  }
  console.log(`\nworking tree vs ${ref}, median of ${rounds} alternating rounds (req/s ratio, >1 is faster):`)
  for (const path of paths)
    console.log(`  ${path.padEnd(24)} ${median(ratios[path]!).toFixed(3)}  (rounds: ${ratios[path]!.map((r) => r.toFixed(2)).join(' ')})`)
}

await main()
