/** The scale benchmark's results file: each view at each catalogue size, and whether it holds the goal. */
import { cpus } from 'node:os'
import type { Load } from './measure.ts'
import { publishReport, reportTime } from './results-file.ts'
import type { LastPage, View } from './scale-views.ts'
import type { ScaleDatabase } from './scale-data.ts'
import { median } from './stats.ts'

/** Issue #14's goal at the largest size: at least half the smallest size's req/s, p99 under 100 ms. */
const GOAL = { share: 0.5, p99Ms: 100 }
/** A page this much heavier at the largest size than at the smallest is a different page (more results shown). */
const HEAVIER = 1.5

export interface ScaleRun {
  root: string
  /** What was built: a commit, and whether the working tree's edits were in it. */
  source: string
  /** Which database, said in a few words. */
  database: string
  /** After `-scale` in the results file's name: '' for SQLite, '-postgres'. */
  suffix: string
  rounds: number
  seconds: number
  warmupSeconds: number
  databases: ScaleDatabase[]
  views: View[]
  /** Per view, per size: one figure per round (none when the view has no such page there). */
  figures: Map<string, Map<number, Load[]>>
  lastPages: Map<number, Map<string, LastPage>>
  /** Per size, per view: the bytes of the page measured (uncompressed). */
  pageBytes: Map<number, Map<string, number>>
  /** Per size, per search view: the products it found (a rotating view: the mean of its paths measured). */
  searchFinds: Map<number, Map<string, number>>
  write: boolean
}

/** wrk's latency ("850.00us", "12.34ms", "1.20s", "2.00m") in milliseconds. */
export function toMs(latency: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(latency)
  if (!match) return Number.NaN
  return Number(match[1]) * { us: 0.001, ms: 1, s: 1000, m: 60_000 }[match[2] as 'us' | 'ms' | 's' | 'm']
}

const sizeLabel = (size: number) => (size >= 1_000_000 ? `${size / 1_000_000}M` : size >= 1000 ? `${size / 1000}k` : String(size))
const ms = (value: number) =>
  Number.isNaN(value) ? '?' : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`
const rps = (value: number) => (value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(1))

export function writeScaleReport(run: ScaleRun): void {
  const sizes = run.databases.map((db) => db.size)
  const [smallest, largest] = [sizes[0]!, sizes.at(-1)!]
  /**
   * A view's figure (its page's bytes, or what its search found) at the smallest and largest
   * sizes, when the largest is HEAVIER times the smallest or more: a different page, or more work.
   */
  const grown = (bySize: Map<number, Map<string, number>>, view: View) => {
    const [small, large] = [bySize.get(smallest)?.get(view.name), bySize.get(largest)?.get(view.name)]
    return small !== undefined && large !== undefined && large > 0 && large >= small * HEAVIER ? { small, large, times: large / Math.max(small, 1) } : null
  }
  const heavierBy = (view: View) => grown(run.pageBytes, view)?.times ?? null
  const findsMoreBy = (view: View) => grown(run.searchFinds, view)
  const count = (n: number) => (n >= 100 || Number.isInteger(n) ? Math.round(n).toLocaleString('en') : n.toFixed(1))
  const rows = run.views.map((view) => {
    const bySize = run.figures.get(view.name)!
    const cells = sizes.flatMap((size) => {
      const runs = bySize.get(size) ?? []
      if (!runs.length) return ['—', '—']
      const errors = runs.reduce((sum, l) => sum + l.errors + (l.rps ? 0 : 1), 0)
      return [`${rps(median(runs.map((l) => l.rps)))}${errors ? ` (**${errors} errors**)` : ''}`, ms(median(runs.map((l) => toMs(l.p99))))]
    })
    const base = bySize.get(smallest) ?? []
    const top = bySize.get(largest) ?? []
    if (!base.length || !top.length) return { line: `| ${view.name} | ${cells.join(' | ')} | — | n/a |`, holds: false }
    // The ratio of each round's two figures (taken minutes apart), then their median.
    const ratio = median(top.map((l, i) => l.rps / base[i]!.rps))
    const p99 = median(top.map((l) => toMs(l.p99)))
    const errors = [...base, ...top].some((l) => l.errors > 0 || !l.rps)
    const holds = !errors && ratio >= GOAL.share && p99 < GOAL.p99Ms
    const why = holds ? 'yes' : `**no** (${[ratio < GOAL.share && 'req/s', !(p99 < GOAL.p99Ms) && 'p99', errors && 'errors'].filter(Boolean).join(', ')})`
    const heavier = heavierBy(view)
    const more = findsMoreBy(view)
    const notes = [
      heavier && `its page ${heavier.toFixed(1)}x heavier at ${sizeLabel(largest)}`,
      more &&
        `it finds ${count(more.small)} products${view.rotate ? ' on average' : ''} at ${sizeLabel(smallest)}, ${count(more.large)} at ${sizeLabel(largest)}`,
    ].filter(Boolean)
    const note = notes.length ? ` (${notes.join('; ')})` : ''
    return { line: `| ${view.name} | ${cells.join(' | ')} | ${Math.round(ratio * 100)} % | ${why}${note} |`, holds }
  })
  const held = rows.filter((row) => row.holds).length
  const lastPageRows = run.views
    .filter((view) => view.lastOf)
    .map(
      (view) =>
        `| ${view.lastOf} | ${sizes
          .map((size) => {
            const last = run.lastPages.get(size)?.get(view.name)
            return last ? `\`${last.path}\` (${last.how})` : '—'
          })
          .join(' | ')} |`,
    )
  const kb = (bytes: number | undefined) => (bytes === undefined ? '—' : `${(bytes / 1024).toFixed(1)} KB`)
  const weightRows = run.views.map((view) => {
    const heavier = heavierBy(view)
    const more = findsMoreBy(view)
    const cell = (size: number) => {
      const found = run.searchFinds.get(size)?.get(view.name)
      return `${kb(run.pageBytes.get(size)?.get(view.name))}${found === undefined ? '' : `, finds ${count(found)}`}`
    }
    return `| ${view.name} | ${sizes.map(cell).join(' | ')} | ${heavier ? `**${heavier.toFixed(1)}x**` : ''} | ${more ? `**${more.times.toFixed(1)}x**` : ''} |`
  })
  const at = new Date()
  const report = [
    `# Scale benchmark, ${reportTime(at)} UTC`,
    '',
    `Machine: ${cpus()[0]?.model} × ${cpus().length}, Node ${process.version}. Tessera built from ${run.source}, on ${run.database}, run as in production (\`node dist/server.js\`), page cache off (\`PAGE_CACHE_MAX_BYTES=0\`), pinned to core 0; wrk on core 1: a ${run.warmupSeconds} s warm-up on one connection, then ${run.seconds} s with 32 (1 thread, 30 s request timeout), the server idle before each (it has answered what the previous run left in flight, or it is restarted). ${run.rounds} rounds; each round serves every size in turn (the order reversed every other round), every view at each. req/s and p99 are the medians of the rounds; the ratio is the median of each round's ${sizeLabel(largest)}/${sizeLabel(smallest)} ratio (this machine's speed swings up to 8x within an hour: only figures minutes apart are compared).`,
    '',
    `Data (\`seed --count N\`, then \`seed-orders\`; the shopper signed up, the admin from \`create-admin\`): ${run.databases.map((db) => `${sizeLabel(db.size)}: ${db.size.toLocaleString('en')} products, ${db.orders.toLocaleString('en')} orders, the shopper's ${db.shopperOrders.toLocaleString('en')} (made in ${db.seedSeconds} s)`).join('; ')}.`,
    '',
    `Goal (issue #14), at ${sizeLabel(largest)}: at least ${GOAL.share * 100} % of the view's req/s at ${sizeLabel(smallest)}, and p99 under ${GOAL.p99Ms} ms. Held by ${held} of ${rows.length} views.`,
    '',
    `| view | ${sizes.map((size) => `${sizeLabel(size)} req/s | ${sizeLabel(size)} p99`).join(' | ')} | ${sizeLabel(largest)} / ${sizeLabel(smallest)} | goal |`,
    `| --- | ${sizes.map(() => '---: | ---:').join(' | ')} | ---: | --- |`,
    ...rows.map((row) => row.line),
    '',
    '## Which page is "last"',
    '',
    "Read from each view's first page, per database, as a shopper would reach it (see `findLastPage` in `bench/lib/scale-views.ts`):",
    '',
    `| view | ${sizes.map(sizeLabel).join(' | ')} |`,
    `| --- | ${sizes.map(() => '---').join(' | ')} |`,
    ...lastPageRows,
    '',
    '## What each page weighs, and what each search finds',
    '',
    `The bytes of the page each view measured, per database (uncompressed; a view that rotates its URLs: the mean of 100 of them), and for a search, the products it found (its result count; "1,000+" counts as 1,000, the window a search ranks: docs/decisions/014). Where the ${sizeLabel(largest)} page is ${HEAVIER}x or more the ${sizeLabel(smallest)} one, the small catalogue's page shows fewer results (a word only a few of its products hold): its ratio compares a heavier page with a lighter one. Where a search finds ${HEAVIER}x or more at ${sizeLabel(largest)}, it reads and orders that many more products (up to the window's 1,000) before it shows a page, whatever the page weighs: its ratio compares more work with less, not only a larger catalogue. The goal is still judged on the ratio as measured.`,
    '',
    `| view | ${sizes.map(sizeLabel).join(' | ')} | heavier | finds more |`,
    `| --- | ${sizes.map(() => '---:').join(' | ')} | --- | --- |`,
    ...weightRows,
    '',
    '## Every round',
    '',
    `| view | size | ${Array.from({ length: run.rounds }, (_, i) => `round ${i + 1} req/s (p99)`).join(' | ')} |`,
    `| --- | --- | ${Array.from({ length: run.rounds }, () => '---:').join(' | ')} |`,
    ...run.views.flatMap((view) =>
      sizes.map(
        (size) => `| ${view.name} | ${sizeLabel(size)} | ${(run.figures.get(view.name)!.get(size) ?? []).map((l) => `${rps(l.rps)} (${l.p99})`).join(' | ')} |`,
      ),
    ),
    '',
  ].join('\n')
  publishReport(run.root, report, { suffix: `-scale${run.suffix}`, at, partial: run.write ? '' : 'BENCH_VIEWS' })
}
