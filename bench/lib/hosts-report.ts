/** `npm run bench:hosts`'s results file: every round, the medians, the B/A and C/B ratios. */
import { cpus, loadavg } from 'node:os'
import { publishReport, reportTime } from './results-file.ts'
import { toMs } from './scale-report.ts'
import { median } from './stats.ts'

export interface Config {
  key: 'A' | 'B' | 'C'
  name: string
  store: 'sqlite' | 'postgres'
  /** Each host: the address it listens on and the core it is pinned to. */
  hosts: { address: string; core: string }[]
  wrkCores: string
  /** The CPUs PostgreSQL's processes are given for this configuration ('' when it is not used). */
  postgresCores: string
}

export interface View {
  name: string
  what: string
  /** Measured on hosts with the page cache on (else PAGE_CACHE_MAX_BYTES=0). */
  cache: boolean
}

/** One measured run: per second (req/s, or checkouts/s), wrk's p99, what failed, and for checkouts what happened. */
export interface Figure {
  rps: number
  p99: string
  errors: number
  note: string
}

export interface HostsRun {
  root: string
  source: string
  postgres: string
  startedAt: Date
  /** os.loadavg() when the rounds began. */
  loadAtStart: number[]
  rounds: number
  seconds: number
  warmupSeconds: number
  connections: number
  shoppers: number
  productsBought: number
  configs: Config[]
  views: View[]
  /** Per view, per configuration: one figure per round. */
  figures: Map<string, Map<string, Figure[]>>
  write: boolean
}

const rate = (value: number) => (value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(1))
const ms = (value: number) =>
  Number.isNaN(value) ? '?' : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a')
const cell = (figure: Figure | undefined) => (figure ? `${rate(figure.rps)} (${figure.p99})${figure.errors ? ` **${figure.errors} errors**` : ''}` : '—')

export function writeHostsReport(run: HostsRun): void {
  const runsOf = (view: string, key: string) => run.figures.get(view)?.get(key) ?? []
  /** The median of each round's own ratio of two configurations' figures (taken a minute or so apart). */
  const roundRatios = (view: string, top: string, bottom: string) => runsOf(view, top).map((figure, i) => figure.rps / (runsOf(view, bottom)[i]?.rps ?? 0))
  const medianRatio = (view: string, top: string, bottom: string) => {
    const ratios = roundRatios(view, top, bottom)
    return ratios.length ? median(ratios) : Number.NaN
  }
  const errorsIn = (view: string) => run.configs.reduce((sum, config) => sum + runsOf(view, config.key).reduce((n, figure) => n + figure.errors, 0), 0)

  const medianRows = run.views.map((view) => {
    const cells = run.configs.map((config) => {
      const runs = runsOf(view.name, config.key)
      return runs.length ? `${rate(median(runs.map((f) => f.rps)))} (${ms(median(runs.map((f) => toMs(f.p99))))})` : '—'
    })
    const errors = errorsIn(view.name)
    return `| ${view.name}${errors ? ` (**${errors} errors** over the rounds)` : ''} | ${cells.join(' | ')} | ${ratio(medianRatio(view.name, 'B', 'A'))} | ${ratio(medianRatio(view.name, 'C', 'B'))} |`
  })
  const roundRows = run.views.flatMap((view) =>
    Array.from({ length: run.rounds }, (_, i) => {
      const figures = run.configs.map((config) => runsOf(view.name, config.key)[i])
      const [a, b, c] = figures.map((figure) => figure?.rps ?? Number.NaN)
      return `| ${view.name} | ${i + 1} | ${figures.map(cell).join(' | ')} | ${ratio(b! / a!)} | ${ratio(c! / b!)} |`
    }),
  )
  const checkoutNotes = run.views
    .filter((view) => view.name === 'checkout')
    .flatMap(() =>
      run.configs.flatMap((config) => runsOf('checkout', config.key).map((figure, i) => `- round ${i + 1}, ${config.key} (${config.name}): ${figure.note}`)),
    )
  const hostsOf = (config: Config) => config.hosts.map((host) => `${host.address} on core ${host.core}`).join(', ')
  const cores = (list: string) => (list === '0,1' ? 'both cores (unpinned)' : `core ${list}`)
  const report = [
    `# Hosts and PostgreSQL, ${reportTime(run.startedAt)} UTC`,
    '',
    `Machine: ${cpus()[0]?.model} × ${cpus().length}, Node ${process.version}, ${run.postgres} (a server of its own on this machine, started and stopped by the benchmark; fsync off, as for the tests). Load average (1, 5, 15 min) ${run.loadAtStart.map((n) => n.toFixed(2)).join(', ')} when the rounds began, ${loadavg()
      .map((n) => n.toFixed(2))
      .join(
        ', ',
      )} at the end (the benchmark's own load included). Tessera built from ${run.source}, run as in production (\`node dist/server.js\`, one process per host, its JSON access log discarded, 10 PostgreSQL connections per host, the default).`,
    '',
    '## How it was measured',
    '',
    `Each configuration in turn, A B C, ${run.rounds} rounds. Before the first, one SQLite file and one PostgreSQL database are made through Tessera's own commands (\`seed\`: 1,000 products; \`create-admin\`), then through its API: the admin raises the stock of ${run.productsBought} products to 1,000,000 (\`PATCH /api/products/{id}\`) and ${run.shoppers} shoppers sign up (\`POST /api/auth/register\`, each from an address of its own through \`X-Forwarded-For\`, the hosts run with \`TRUST_PROXY=true\`). B and C share the PostgreSQL database.`,
    '',
    `For each view: a ${run.warmupSeconds} s warm-up, then ${run.seconds} s measured, each a run of its own of wrk (${run.connections} connections, 10 s request timeout), the machine checked quiet (under 15 % busy over a second) before the measured run, and after each run the hosts answer \`/healthz\` (what wrk left in flight is answered) and no job is due (a checkout's notification jobs are done) before the next. The hosts are started with the page cache off (\`PAGE_CACHE_MAX_BYTES=0\`) for the dynamic page and the API, stopped, then started with it on (the default, 64 MiB) for the cache hit and the checkouts (as a store runs). Fulfilment jobs are put off (\`FULFILMENT_DELAY_MS\` = a day) so no view pays for an earlier view's orders a minute later; every other setting is the default.`,
    '',
    "wrk spreads its threads over the hosts (a Lua script sets each thread's address and `Host`: thread i to host i mod n); the same scripts run for one host. The page and API views use 2 threads of 16 connections; the checkouts 32 threads of one connection each, each thread a signed-up shopper who adds one of the bought products to the cart (`POST /api/cart/items`), then checks out (`POST /api/orders` with a fresh `Idempotency-Key`, `Origin` of the host, the card that pays), one request after the other. Checkouts per second count only `201` answers to `POST /api/orders` without `Idempotent-Replayed`; everything else is listed below the tables. Their p99 is over both kinds of request.",
    '',
    '| configuration | hosts (pinned) | PostgreSQL | wrk |',
    '| --- | --- | --- | --- |',
    ...run.configs.map(
      (config) =>
        `| ${config.key}: ${config.name} | ${hostsOf(config)} | ${config.postgresCores ? cores(config.postgresCores) : 'not used (idle)'} | ${cores(config.wrkCores)} |`,
    ),
    '',
    '| view | what |',
    '| --- | --- |',
    ...run.views.map((view) => `| ${view.name} | ${view.what} |`),
    '',
    `This machine's speed swings up to 8x within an hour: only figures from the same round (taken a minute or two apart) are compared. The ratios are the median of each round's own ratio, never a ratio of medians. It has ${cpus().length} cores, so C has no core to spare: two hosts, PostgreSQL and wrk share them, and C/B says what a second host on a second core gives when the database and the load generator run on those cores too, not what two hosts on machines of their own would do.`,
    '',
    '## Medians',
    '',
    `Per second (req/s; checkouts/s for checkout), and in brackets the median p99.`,
    '',
    `| view | ${run.configs.map((config) => `${config.key}: ${config.name}`).join(' | ')} | B/A | C/B |`,
    `| --- | ${run.configs.map(() => '---:').join(' | ')} | ---: | ---: |`,
    ...medianRows,
    '',
    '## Every round',
    '',
    `| view | round | ${run.configs.map((config) => `${config.key} /s (p99)`).join(' | ')} | B/A | C/B |`,
    `| --- | ---: | ${run.configs.map(() => '---:').join(' | ')} | ---: | ---: |`,
    ...roundRows,
    '',
    ...(checkoutNotes.length ? ['## Checkouts', '', ...checkoutNotes, ''] : []),
  ].join('\n')
  publishReport(run.root, report, { suffix: '-hosts', at: run.startedAt, partial: run.write ? '' : 'BENCH_VIEWS' })
}
