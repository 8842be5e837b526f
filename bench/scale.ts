/**
 * `npm run bench:scale`: every catalogue view of issue #14 (each sort, a category, searches, the
 * last page of each, the API listing, the admin's lists) and the orders views, at 1,000, 100,000
 * and 1,000,000 products, side by side in one run, page cache off, with whether each holds the
 * goal (at the largest size ≥ 50 % of the smallest's req/s, p99 < 100 ms). Writes
 * bench/results/<date>-scale.md. See bench/README.md ("At scale").
 *
 * BENCH_SCALE_SIZES (default 1000,100000,1000000), BENCH_ROUNDS (default 3), BENCH_SECONDS
 * (default 5) and BENCH_WARMUP (default 2) set the run; BENCH_VIEWS=search,orders measures only
 * the views whose name contains one of the words (no results file); BENCH_REF=<git ref> measures
 * Tessera as committed at that ref instead of the working tree. BENCH_DATABASE=postgres runs it on
 * PostgreSQL (a server this script starts, as \`npm run test:pg\` does, and always stops; a schema
 * per size) instead of SQLite files; its results file ends in -scale-postgres.md.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { serverVersion } from './lib/postgres-version.ts'
import { buildTessera, buildTesseraAt } from './lib/build.ts'
import { kill, load, machineBusy, startPinned, stop, type Load } from './lib/measure.ts'
import { startPostgres, type PostgresServer } from '../tests/support/postgres-server.ts'
import { makeScaleDatabase, type ScaleDatabase } from './lib/scale-data.ts'
import { writeScaleReport } from './lib/scale-report.ts'
import { findLastPage, foundIn, isSearch, views as allViews, type LastPage, type View } from './lib/scale-views.ts'

const root = resolve(import.meta.dirname, '..')
const work = join(root, 'bench/.work/scale')
const numbers = (value: string) => value.split(',').map((n) => Number(n.trim()))
const sizes = numbers(process.env.BENCH_SCALE_SIZES ?? '1000,100000,1000000').toSorted((a, b) => a - b)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const warmupSeconds = Number(process.env.BENCH_WARMUP ?? 2)
const only = process.env.BENCH_VIEWS?.split(',').map((word) => word.trim().toLowerCase())
const postgres = process.env.BENCH_DATABASE === 'postgres'
if (process.env.BENCH_DATABASE && !postgres && process.env.BENCH_DATABASE !== 'sqlite') throw new Error('BENCH_DATABASE: sqlite (the default) or postgres')
const views = only ? allViews.filter((view) => only.some((word) => view.name.toLowerCase().includes(word))) : allViews
if (sizes.length < 2 || sizes.some((n) => !Number.isInteger(n) || n < 1))
  throw new Error('BENCH_SCALE_SIZES: two or more whole numbers, e.g. 1000,100000,1000000')
if (!views.length) throw new Error(`BENCH_VIEWS: no view's name contains ${only!.join(' or ')}`)

const port = 4121
const origin = `http://127.0.0.1:${port}`

/** Builds the server (from the working tree or BENCH_REF) and says what was built. */
function build(dist: string): string {
  const ref = process.env.BENCH_REF
  const commit = (name: string) => execFileSync('git', ['rev-parse', '--short', name], { cwd: root, encoding: 'utf8' }).trim()
  if (ref) {
    buildTesseraAt(root, ref, join(work, 'src'), dist)
    return `commit ${commit(ref)} (\`BENCH_REF=${ref}\`, a clean checkout)`
  }
  buildTessera(root, dist)
  const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim()
  return `the working tree at commit ${commit('HEAD')}${dirty ? ' with uncommitted edits' : ''}`
}

/** A wrk Lua script that requests `paths` in turn, written once per list. */
const scripts = new Map<string[], string>()
function rotationScript(paths: string[]): string {
  let file = scripts.get(paths)
  if (!file) {
    file = join(work, `rotate-${scripts.size}.lua`)
    writeFileSync(
      file,
      `local paths = { ${paths.map((path) => JSON.stringify(path)).join(', ')} }\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(nil, paths[(i % #paths) + 1])\nend\n`,
    )
    scripts.set(paths, file)
  }
  return file
}

const serve = (dist: string, db: ScaleDatabase) =>
  startPinned(
    ['node', join(dist, 'server.js')],
    { ...db.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', PAGE_CACHE_MAX_BYTES: '0' },
    `${origin}/healthz`,
  )
const headersOf = (view: View, db: ScaleDatabase): Record<string, string> => (view.viewer === 'anonymous' ? {} : { Cookie: db.cookies[view.viewer] })

async function main(server?: PostgresServer) {
  const dist = join(work, 'dist')
  const source = build(dist)
  // Every database made before the first measurement (a million products: about a minute).
  const databases: ScaleDatabase[] = []
  for (const size of sizes) {
    console.log(`making the ${size.toLocaleString('en')}-product database…`)
    databases.push(await makeScaleDatabase(dist, work, size, port, server?.url))
  }
  // Each view's last page, per database, read from its own links (cursor links differ by data).
  const lastPages = new Map<number, Map<string, LastPage>>()
  const pageBytes = new Map<number, Map<string, number>>()
  const searchFinds = new Map<number, Map<string, number>>()
  for (const db of databases) {
    const server = await serve(dist, db)
    // Every view answers 200 itself (a lost session would measure the login redirect instead).
    for (const view of views) {
      const { status } = await fetch(`${origin}${view.path}`, { headers: headersOf(view, db), redirect: 'manual' })
      if (status !== 200) throw new Error(`${view.name}: ${view.path} answers ${status} at ${db.size.toLocaleString('en')} products`)
    }
    const found = new Map<string, LastPage>()
    for (const view of views.filter((v) => v.lastOf)) found.set(view.name, await findLastPage(origin, view.path, headersOf(view, db)))
    lastPages.set(db.size, found)
    // What each measured page weighs here, and what each search found: a search's first page at
    // 1k may hold 7 products and 48 at 1M, and its window (the work of a search that is not kept)
    // 25 products on average at 1k and 188 at 1M; the report must say when a ratio compares two
    // different amounts of work. A rotating view: the mean of 100 of its paths, evenly spread.
    const weights = new Map<string, number>()
    const finds = new Map<string, number>()
    for (const view of views) {
      const paths = view.rotate
        ? Array.from({ length: 100 }, (_, i) => view.rotate![Math.floor((i * view.rotate!.length) / 100)]!)
        : [view.lastOf ? found.get(view.name)!.path : view.path]
      let bytes = 0
      let products = 0
      for (const path of paths) {
        const body = Buffer.from(await (await fetch(`${origin}${path}`, { headers: headersOf(view, db) })).arrayBuffer())
        bytes += body.byteLength
        products += foundIn(body.toString()) ?? Number.NaN
      }
      weights.set(view.name, bytes / paths.length)
      if (isSearch(view.path) && !Number.isNaN(products)) finds.set(view.name, products / paths.length)
    }
    pageBytes.set(db.size, weights)
    searchFinds.set(db.size, finds)
    await stop(server.child)
    console.log(`${db.size.toLocaleString('en')}: ${[...found].map(([name, last]) => `${name} → ${last.path}`).join(', ')}`)
  }

  const figures = new Map(views.map((view) => [view.name, new Map<number, Load[]>()]))
  for (let round = 1; round <= rounds; round++) {
    for (const db of round % 2 ? databases : databases.toReversed()) {
      const busy = await machineBusy()
      let server = await serve(dist, db)
      /**
       * Waits until the server has answered what wrk left in flight (it answers /healthz after
       * them), so no view pays for the one before; past `ms`, a new server is quicker (a slow
       * view leaves 32 requests of up to seconds each).
       */
      const settle = async (ms: number) => {
        const answered = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(ms) }).then(
          () => true,
          () => false,
        )
        if (answered) return
        await kill(server.child)
        server = await serve(dist, db)
      }
      for (const view of views) {
        const url = `${origin}${view.lastOf ? lastPages.get(db.size)!.get(view.name)!.path : view.path}`
        const headers = headersOf(view, db)
        const script = view.rotate ? rotationScript(view.rotate) : ''
        // The warm-up on one connection leaves at most one request behind; the measured run
        // starts on an idle server. wrk's timeout is longer than the run: slow answers count.
        load(url, { seconds: warmupSeconds, warmupSeconds: 0, connections: 1, timeoutSeconds: 30, headers, script })
        await settle(30_000)
        const result = load(url, { seconds, warmupSeconds: 0, timeoutSeconds: 30, headers, script })
        await settle(3000)
        const runs = figures.get(view.name)!
        runs.set(db.size, [...(runs.get(db.size) ?? []), result])
        console.log(
          `round ${round} ${db.size.toLocaleString('en').padStart(9)} ${view.name.padEnd(40)} ${result.rps.toFixed(1).padStart(8)} req/s  p99 ${result.p99}${result.errors ? `  ${result.errors} errors` : ''}${busy > 0.15 ? `  (machine ${Math.round(busy * 100)}% busy before)` : ''}`,
        )
      }
      await stop(server.child)
    }
  }
  const database = server
    ? `PostgreSQL ${await serverVersion(server.url)} (a server of its own on this machine, unpinned, fsync off as for the tests; a schema per size)`
    : 'SQLite (a file per size)'
  writeScaleReport({
    root,
    source,
    database,
    suffix: server ? '-postgres' : '',
    rounds,
    seconds,
    warmupSeconds,
    databases,
    views,
    figures,
    lastPages,
    pageBytes,
    searchFinds,
    write: !only,
  })
}

rmSync(work, { recursive: true, force: true })
mkdirSync(work, { recursive: true })
const server = postgres ? await startPostgres() : undefined
try {
  await main(server)
} finally {
  await server?.stop()
}
