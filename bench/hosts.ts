/**
 * `npm run bench:hosts` (issue #15's figures): one host on SQLite (A), one host on PostgreSQL (B)
 * and two hosts on PostgreSQL (C), in alternating rounds (A B C, A B C, …), for a dynamic page, a
 * cache hit, the API (a product, a search) and checkouts per second. Writes
 * bench/results/<date>-hosts.md with every round, the medians and the median of each round's
 * B/A and C/B ratios. See bench/README.md ("Hosts and PostgreSQL").
 *
 * BENCH_ROUNDS (default 3), BENCH_SECONDS (default 5) and BENCH_WARMUP (default 2) set the run;
 * BENCH_VIEWS=checkout,api measures the views whose name contains a word (no results file);
 * BENCH_PG_WAITS=1 adds to each PostgreSQL figure what the database's sessions were doing (a
 * diagnostic: its sampler takes a little of wrk's core).
 */
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { startPostgres, type PostgresServer } from '../tests/support/postgres-server.ts'
import { buildTessera } from './lib/build.ts'
import { readCheckouts, writeCheckoutScript, writeGetScript } from './lib/hosts-lua.ts'
import { writeHostsReport, type Config, type Figure, type View } from './lib/hosts-report.ts'
import { ensureWrk, kill, load, requireQuietMachine, startPinned, stop } from './lib/measure.ts'
import { sampleWaits } from './lib/pg-waits.ts'
import { serverVersion } from './lib/postgres-version.ts'

const root = resolve(import.meta.dirname, '..')
const work = join(root, 'bench/.work/hosts')
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const warmupSeconds = Number(process.env.BENCH_WARMUP ?? 2)
const only = process.env.BENCH_VIEWS?.split(',').map((word) => word.trim().toLowerCase())
/** BENCH_PG_WAITS=1: what PostgreSQL's sessions wait on during each measured run, in its note (the sampler shares wrk's core). */
const sampleDatabase = process.env.BENCH_PG_WAITS === '1'
const port = 4131
const connections = 32
/** Shoppers signed up before the run: one per connection of the checkout view. */
const SHOPPERS = connections
const ADMIN = { email: 'bench-admin@example.com', password: 'bench password' }
/** The products the checkouts buy (their stock raised first, so every checkout can succeed). */
const PRODUCTS_BOUGHT = 48
/** What each host is told besides its database and cache: sign-ups spread over addresses (X-Forwarded-For), fulfilment after the run. */
const hostEnv = { LOG_LEVEL: 'info', TRUST_PROXY: 'true', FULFILMENT_DELAY_MS: String(24 * 3600 * 1000) }

interface Store {
  name: string
  env: Record<string, string>
  cookies: string[]
  productIds: number[]
  /** Jobs due now and not done (a checkout's notification jobs): drained before the next view. */
  dueJobs: () => Promise<number>
}

const allViews: View[] = [
  { name: 'dynamic page', what: '`/products?sort=price-asc`, page cache off (`PAGE_CACHE_MAX_BYTES=0`)', cache: false },
  { name: 'API product', what: '`GET /api/products/{id}`, the 48 bought products in turn', cache: false },
  { name: 'API search', what: '`GET /api/products?q=mug`', cache: false },
  { name: 'cache hit', what: '`/products`, page cache on (an anonymous visitor)', cache: true },
  { name: 'checkout', what: 'add one product to the cart, then `POST /api/orders`: checkouts per second (201s)', cache: true },
]
const views = only ? allViews.filter((view) => only.some((word) => view.name.toLowerCase().includes(word))) : allViews
if (!views.length) throw new Error(`BENCH_VIEWS: no view's name contains ${only!.join(' or ')}`)

const configs: Config[] = [
  { key: 'A', name: 'one host, SQLite', store: 'sqlite', hosts: [{ address: '127.0.0.2', core: '0' }], wrkCores: '1', postgresCores: '' },
  { key: 'B', name: 'one host, PostgreSQL', store: 'postgres', hosts: [{ address: '127.0.0.2', core: '0' }], wrkCores: '1', postgresCores: '1' },
  {
    key: 'C',
    name: 'two hosts, PostgreSQL',
    store: 'postgres',
    hosts: [
      { address: '127.0.0.2', core: '0' },
      { address: '127.0.0.3', core: '1' },
    ],
    wrkCores: '0,1',
    postgresCores: '0,1',
  },
]

const sessionOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ')

/** A store made through Tessera's own commands and API: the catalogue, an admin, shoppers, stock. */
async function makeStore(dist: string, name: string, env: Record<string, string>, dueJobs: () => Promise<number>): Promise<Store> {
  const cli = (args: string[], input = '') =>
    execFileSync('node', [join(dist, 'server.js'), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, input, stdio: ['pipe', 'inherit', 'inherit'] })
  cli(['seed'])
  cli(['create-admin', ADMIN.email], `${ADMIN.password}\n`)
  const origin = `http://127.0.0.2:${port}`
  const host = await startPinned(['node', join(dist, 'server.js')], { ...env, ...hostEnv, HOST: '127.0.0.2', PORT: String(port) }, `${origin}/healthz`)
  try {
    // Each sign-up from an address of its own (5 per address per 10 minutes), as shoppers would.
    const post = (path: string, body: object, from: string, cookie = '', method = 'POST') =>
      fetch(`${origin}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', Origin: origin, 'X-Forwarded-For': from, ...(cookie ? { Cookie: cookie } : {}) },
        body: JSON.stringify(body),
      })
    const login = await post('/api/auth/login', ADMIN, '10.9.0.1')
    if (login.status !== 200) throw new Error(`${name}: the admin's login answered ${login.status}`)
    const admin = sessionOf(login)
    const listing = (await (await fetch(`${origin}/api/products?sort=name&limit=${PRODUCTS_BOUGHT}`)).json()) as { items: { id: number }[] }
    const productIds = listing.items.map((product) => product.id)
    if (productIds.length !== PRODUCTS_BOUGHT) throw new Error(`${name}: ${productIds.length} products listed, ${PRODUCTS_BOUGHT} wanted`)
    for (const id of productIds) {
      const changed = await post(`/api/products/${id}`, { stock: 1_000_000 }, '10.9.0.1', admin, 'PATCH')
      if (changed.status !== 200) throw new Error(`${name}: setting product ${id}'s stock answered ${changed.status}`)
    }
    const cookies: string[] = []
    for (let i = 1; i <= SHOPPERS; i++) {
      const registered = await post(
        '/api/auth/register',
        { email: `shopper-${i}@example.com`, name: `Shopper ${i}`, password: 'bench password' },
        `10.8.${i >> 8}.${i & 255}`,
      )
      if (registered.status !== 201) throw new Error(`${name}: sign-up ${i} answered ${registered.status}: ${await registered.text()}`)
      cookies.push(sessionOf(registered))
    }
    const search = (await (await fetch(`${origin}/api/products?q=mug`)).json()) as { items: unknown[] }
    if (!search.items.length) throw new Error(`${name}: the search view finds nothing`)
    return { name, env, cookies, productIds, dueJobs }
  } finally {
    await stop(host.child)
  }
}

function sqliteStore(dist: string): Promise<Store> {
  const file = join(work, 'bench.db')
  const dueJobs = async () => {
    const db = new Database(file, { readonly: true, fileMustExist: true })
    try {
      const row = db.prepare("select count(*) as n from tessera_jobs where status in ('pending', 'running') and run_at <= ?").get(Date.now()) as { n: number }
      return row.n
    } finally {
      db.close()
    }
  }
  return makeStore(dist, 'SQLite', { DATABASE_PATH: file }, dueJobs)
}

function postgresStore(dist: string, server: PostgresServer): Promise<Store> {
  const dueJobs = async () => {
    const client = new pg.Client({ connectionString: server.url })
    await client.connect()
    try {
      const { rows } = await client.query<{ n: string }>("select count(*) as n from tessera_jobs where status in ('pending', 'running') and run_at <= $1", [
        Date.now(),
      ])
      return Number(rows[0]!.n)
    } finally {
      await client.end()
    }
  }
  return makeStore(dist, 'PostgreSQL', { DATABASE_URL: server.url }, dueJobs)
}

/**
 * Sets the CPUs PostgreSQL's processes may run on: the server and every process it has started
 * (those it starts later, a backend per new connection, inherit the server's). Found by its port.
 */
function pinPostgres(server: PostgresServer, cores: string) {
  const main = execFileSync('pgrep', ['-f', '-o', `postgres -D .* -p ${server.port} `], { encoding: 'utf8' }).trim()
  let children = ''
  try {
    children = execFileSync('pgrep', ['-P', main], { encoding: 'utf8' })
  } catch {
    // none (pgrep exits 1)
  }
  for (const pid of [main, ...children.split('\n').filter(Boolean)]) execFileSync('taskset', ['-a', '-p', '-c', cores, pid], { stdio: 'ignore' })
}

type Running = { address: string; core: string; child: Awaited<ReturnType<typeof startPinned>>['child'] }

async function startHosts(dist: string, config: Config, store: Store, cache: boolean): Promise<Running[]> {
  const running: Running[] = []
  // One after the other: the first runs the start-up tasks (migrations, under a lock), the next finds them done.
  for (const { address, core } of config.hosts) {
    const env = { ...store.env, ...hostEnv, HOST: address, PORT: String(port), ...(cache ? {} : { PAGE_CACHE_MAX_BYTES: '0' }) }
    const { child } = await startPinned(['node', join(dist, 'server.js')], env, `http://${address}:${port}/healthz`, core)
    running.push({ address, core, child })
  }
  return running
}

/**
 * Waits until every host has answered what wrk left in flight (it answers /healthz after them,
 * and a second more), and the jobs the view queued (a checkout's notifications) are done, so no view pays for the
 * one before; a host that does not answer in 10 s is a failure of the run.
 */
async function settle(hosts: Running[], store: Store) {
  for (const host of hosts) await healthy(`http://${host.address}:${port}/healthz`, 10_000)
  // A checkout in flight can still be waiting for its transaction after /healthz answered: had it
  // claimed a cart after the next run's first item went in, that run's first checkout would find it empty.
  await new Promise((resolve) => setTimeout(resolve, 1000))
  for (let waited = 0; (await store.dueJobs()) > 0; waited += 200) {
    if (waited > 30_000) throw new Error(`${store.name}: jobs still due 30 s after the run`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** Resolves once `url` answers 200, retried (a kept-alive connection the server just closed fails a fetch); throws after `ms`. */
async function healthy(url: string, ms: number) {
  const deadline = Date.now() + ms
  for (;;) {
    const status = await fetch(url, { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) }).then(
      (response) => response.status,
      (error: Error) => error,
    )
    if (status === 200) return
    if (Date.now() >= deadline) throw new Error(`${url} did not answer 200 within ${ms} ms: ${status instanceof Error ? status.message : status}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

let scripts = 0
/** One view on the running hosts: a warm-up, then the measured run (each its own wrk, each its own script: checkout keys are never reused). */
async function measureView(view: View, config: Config, store: Store, hosts: Running[]): Promise<Figure> {
  const names = hosts.map((host) => `${host.address}:${port}`)
  const url = (path: string) => `http://${hosts[0]!.address}:${port}${path}`
  const run = (runSeconds: number): ReturnType<typeof load> => {
    const script = join(work, `view-${++scripts}.lua`)
    const options = { seconds: runSeconds, warmupSeconds: 0, connections, cores: config.wrkCores, timeoutSeconds: 10, script }
    if (view.name === 'checkout') {
      writeCheckoutScript(script, { hosts: names, cookies: store.cookies, productIds: store.productIds, keyPrefix: randomUUID() })
      // One thread per connection: a thread is a shopper, its requests one after the other.
      return load(url('/api/orders'), { ...options, threads: connections })
    }
    const paths = {
      'dynamic page': ['/products?sort=price-asc'],
      'API product': store.productIds.map((id) => `/api/products/${id}`),
      'API search': ['/api/products?q=mug'],
      'cache hit': ['/products'],
    }[view.name]!
    writeGetScript(script, names, paths)
    return load(url(paths[0]!), { ...options, threads: 2 })
  }
  run(warmupSeconds)
  await settle(hosts, store)
  await requireQuietMachine()
  const databaseUrl = store.env.DATABASE_URL
  const waits = sampleDatabase && databaseUrl ? sampleWaits(databaseUrl, seconds, config.wrkCores) : undefined
  const result = run(seconds)
  const sessions = (await waits) ?? ''
  await settle(hosts, store)
  if (view.name !== 'checkout') return { rps: result.rps, p99: result.p99, errors: result.errors, note: sessions }
  const checkouts = readCheckouts(result.output)
  const failures = Object.entries(checkouts.statuses)
    .map(([status, n]) => `${n} × ${status}`)
    .join(', ')
  return {
    rps: checkouts.created / checkouts.seconds,
    p99: result.p99,
    // Answers that were not a new order (or not an added item), or wrk's socket errors and other non-2xx answers if more.
    errors: Math.max(checkouts.failed + checkouts.cartsFailed, result.errors),
    note: `${checkouts.created} orders in ${checkouts.seconds.toFixed(1)} s${failures ? `; not created: ${failures}` : ''}${sessions ? `; ${sessions}` : ''}`,
  }
}

async function main(server: PostgresServer) {
  ensureWrk()
  const dist = join(work, 'dist')
  buildTessera(root, dist)
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()
  const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim()
  const stores = { sqlite: await sqliteStore(dist), postgres: await postgresStore(dist, server) }
  const figures = new Map(views.map((view) => [view.name, new Map(configs.map((config) => [config.key, [] as Figure[]]))]))
  const startedAt = new Date()
  const loadAtStart = loadavg()
  for (let round = 1; round <= rounds; round++) {
    for (const config of configs) {
      const store = stores[config.store]
      if (config.postgresCores) pinPostgres(server, config.postgresCores)
      for (const cache of [false, true]) {
        const these = views.filter((view) => view.cache === cache)
        if (!these.length) continue
        const hosts = await startHosts(dist, config, store, cache)
        try {
          for (const view of these) {
            const figure = await measureView(view, config, store, hosts)
            figures.get(view.name)!.get(config.key)!.push(figure)
            console.log(
              `round ${round} ${config.key} ${config.name.padEnd(22)} ${view.name.padEnd(13)} ${figure.rps.toFixed(1).padStart(8)}/s  p99 ${figure.p99}${figure.errors ? `  ${figure.errors} errors` : ''}${figure.note ? `  (${figure.note})` : ''}`,
            )
          }
        } finally {
          for (const host of hosts) await stop(host.child).catch(() => kill(host.child))
        }
      }
    }
  }
  writeHostsReport({
    root,
    source: `the working tree at commit ${commit}${dirty ? ' with uncommitted edits' : ''}`,
    postgres: `PostgreSQL ${await serverVersion(server.url)}`,
    startedAt,
    loadAtStart,
    rounds,
    seconds,
    warmupSeconds,
    connections,
    shoppers: SHOPPERS,
    productsBought: PRODUCTS_BOUGHT,
    configs,
    views,
    figures,
    write: !only,
  })
}

rmSync(work, { recursive: true, force: true })
mkdirSync(work, { recursive: true })
// PostgreSQL is stopped whatever happens next (startPostgres also stops it when this process exits).
const server = await startPostgres()
try {
  await main(server)
} finally {
  await server.stop()
}
