/**
 * `npm run bench:versus -- <app> [rounds]`: Tessera (page cache off) against one comparison app
 * (next, vike or react-router) on the three URLs every server serves, in alternating rounds
 * (Tessera then the app, then the app then Tessera, …) on one pinned core, reported as the median
 * of the per-round ratios. `npm run bench` measures each server once; this is the figure to quote
 * when the machine's speed swings. BENCH_SECONDS sets each measured run (default 5); BENCH_REF=<git
 * ref> measures Tessera as committed at that ref instead of the working tree. See bench/README.md.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { prepareApp, type AppName } from './lib/apps.ts'
import { buildTessera, buildTesseraAt } from './lib/build.ts'
import { load, machineBusy, startPinned, stop, type Load } from './lib/measure.ts'
import { requireSameMarkup } from './lib/same-markup.ts'
import { median } from './lib/stats.ts'

const root = resolve(import.meta.dirname, '..')
const work = join(root, 'bench/.work/versus')
const names: AppName[] = ['next', 'vike', 'react-router']
const [name, roundsArg = '5'] = process.argv.slice(2) as [AppName | undefined, string?]
if (!name || !names.includes(name)) {
  console.error(`usage: npm run bench:versus -- <${names.join('|')}> [rounds]`)
  process.exit(2)
}
const rounds = Number(roundsArg)
const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const paths = ['/products', '/products/PRODUCT', '/api/products/1'] as const
type Figures = Record<(typeof paths)[number], Load>

async function measureAll(command: string[], env: Record<string, string>, origin: string, slug: string, cwd?: string): Promise<Figures> {
  const server = await startPinned(command, env, `${origin}/products`, '0', cwd)
  const figures = {} as Figures
  for (const path of paths) figures[path] = load(`${origin}${path.replace('PRODUCT', slug)}`, { seconds })
  await stop(server.child)
  return figures
}

async function main() {
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  const dist = join(work, 'tessera')
  if (process.env.BENCH_REF) buildTesseraAt(root, process.env.BENCH_REF, join(work, 'tessera-src'), dist)
  else buildTessera(root, dist)
  const app = prepareApp(root, name!, 4107)
  const db = join(work, 'bench.db')
  const tessera = {
    command: ['node', join(dist, 'server.js')],
    env: { DATABASE_PATH: db, HOST: '127.0.0.1', PORT: '4111', LOG_LEVEL: 'info', PAGE_CACHE_MAX_BYTES: '0' },
    origin: 'http://127.0.0.1:4111',
  }
  const other = { command: app.command, env: { ...app.env, DATABASE_PATH: db }, origin: `http://127.0.0.1:${app.port}`, cwd: app.cwd }

  // Tessera's first start creates and seeds the database both read; its page is the reference.
  const first = await startPinned(tessera.command, tessera.env, `${tessera.origin}/healthz`)
  const { slug } = (await (await fetch(`${tessera.origin}/api/products/1`)).json()) as { slug: string }
  const reference = (await (await fetch(`${tessera.origin}/products`)).text()).replaceAll(/ nonce="[^"]*"/g, '')
  const productReference = await (await fetch(`${tessera.origin}/products/${slug}`)).text()
  await stop(first.child)
  const check = await startPinned(other.command, other.env, `${other.origin}/products`, '0', other.cwd)
  await requireSameMarkup(name!, `${other.origin}/products`, reference)
  await requireSameMarkup(name!, `${other.origin}/products/${slug}`, productReference, 'product page')
  for (const path of paths) {
    const status = (await fetch(`${other.origin}${path.replace('PRODUCT', slug)}`)).status
    if (status !== 200) throw new Error(`${name}: ${path} answers ${status}, not 200.`)
  }
  await stop(check.child)

  const all: Record<'tessera' | 'other', Figures[]> = { tessera: [], other: [] }
  for (let round = 1; round <= rounds; round++) {
    const busy = await machineBusy()
    if (busy > 0.15) console.log(`(machine ${Math.round(busy * 100)}% busy: the alternation keeps the ratio fair, the absolute figures are low)`)
    const order = round % 2 ? (['tessera', 'other'] as const) : (['other', 'tessera'] as const)
    for (const side of order) {
      const { command, env, origin } = side === 'tessera' ? tessera : other
      all[side].push(await measureAll(command, env, origin, slug, side === 'other' ? other.cwd : undefined))
    }
    console.log(
      `round ${round}: ${paths.map((path) => `${path} tessera ${Math.round(all.tessera.at(-1)![path].rps)} · ${name} ${Math.round(all.other.at(-1)![path].rps)}`).join(' | ')}`,
    )
  }
  console.log(`\nTessera (page cache off) vs ${name}, ${rounds} alternating rounds, ${seconds} s each, wrk -c32 on one core:`)
  console.log(`| URL | Tessera req/s (median) | p99 | ${name} req/s (median) | p99 | Tessera / ${name} (median of rounds) |`)
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
  for (const path of paths) {
    const rps = (side: 'tessera' | 'other') => Math.round(median(all[side].map((figures) => figures[path].rps)))
    const p99 = (side: 'tessera' | 'other') => all[side].map((figures) => figures[path].p99).join(' ')
    const ratios = all.tessera.map((figures, i) => figures[path].rps / all.other[i]![path].rps)
    const errors = [...all.tessera, ...all.other].reduce((sum, figures) => sum + figures[path].errors, 0)
    console.log(
      `| \`${path}\` | ${rps('tessera')} | ${p99('tessera')} | ${rps('other')} | ${p99('other')} | ${median(ratios).toFixed(2)}x (rounds: ${ratios.map((r) => r.toFixed(2)).join(' ')})${errors ? ` **${errors} errors**` : ''} |`,
    )
  }
}

await main()
