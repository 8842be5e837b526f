/**
 * `npm run bench:lighthouse`: every page type of Tessera through Lighthouse 12 as a phone sees it
 * (its default: mobile, simulated slow 4G and a 4x slower CPU), in Debian's Chromium. Builds the
 * working tree (or `BENCH_REF=<git ref>`), starts it on a fresh seeded database, signs a shopper
 * up (a cart item and a few orders, for the pages only they see), runs each page `BENCH_RUNS`
 * times (default 3) and keeps the median run by performance score. Prints a table and writes
 * bench/results/<date>-lighthouse.md (not with BENCH_PAGES, which measures a subset).
 *
 * Then `/products` side by side: Tessera and the comparison apps of bench/apps (BENCH_VERSUS=
 * next,vike,react-router, the default; `none` for none), each given Tessera's stylesheet and
 * reading the same database, all started at once and run in turn (Tessera, then each app, run
 * after run), the same number of runs and median rule. See bench/README.md.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { type AppName, type PreparedApp, prepareApp } from './lib/apps.ts'
import { buildTessera, buildTesseraAt } from './lib/build.ts'
import { startPinned, stop } from './lib/measure.ts'
import { publishReport, reportTime } from './lib/results-file.ts'
import { requireSameMarkup } from './lib/same-markup.ts'

const root = resolve(import.meta.dirname, '..')
const work = join(root, 'bench/.work/lighthouse')
const runs = Number(process.env.BENCH_RUNS ?? 3)
const ref = process.env.BENCH_REF
const only = process.env.BENCH_PAGES?.split(',')
const chromePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const origin = 'http://127.0.0.1:4120'
const appNames: AppName[] = ['next', 'vike', 'react-router']
const versus = (process.env.BENCH_VERSUS ?? appNames.join(','))
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name && name !== 'none') as AppName[]
for (const name of versus) if (!appNames.includes(name)) throw new Error(`BENCH_VERSUS: ${name} is none of ${appNames.join(', ')}`)
/** The apps' ports, beside Tessera's 4120. */
const appPorts: Record<AppName, number> = { next: 4121, vike: 4122, 'react-router': 4123 }
/** How each app is given Tessera's stylesheet (shared/ui/styles.css), for the report. */
const howStyled: Record<AppName, string> = {
  next: '`app/layout.jsx` (the root layout) imports it, as Next.js takes global CSS; Next bundles it into a `/_next/static/…css` file linked from the head',
  vike: "`pages/+Layout.jsx` (a Layout adding no markup) imports it, as Vike's docs load global CSS; Vite bundles it and Vike links the file from the head",
  'react-router': "`app/root.jsx` imports it, as React Router's templates import their `app.css`; Vite bundles it and `<Links />` links the file from the head",
}
const SHOPPER = { email: 'lighthouse@example.com', name: 'Lighthouse Shopper', password: 'a lighthouse password' }

type Viewer = 'visitor' | 'shopper'
interface PageType {
  name: string
  path: string
  viewer: Viewer
}

/** One run's figures: times in ms, scores 0-100, bytes as transferred (gzipped where it was). */
interface Figures {
  fcp: number
  lcp: number
  tbt: number
  cls: number
  performance: number
  accessibility: number
  bestPractices: number
  seo: number
  jsBytes: number
  htmlBytes: number
  cssBytes: number
  totalBytes: number
  renderBlocking: string[]
  /** The stylesheets loaded (this origin). */
  cssFiles: string[]
  /** Audits of accessibility, best practices and SEO that did not pass: what to fix. */
  failed: string[]
}

function build(): string {
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  const out = join(work, 'dist')
  if (ref) buildTesseraAt(root, ref, join(work, 'src'), out)
  else buildTessera(root, out)
  return out
}

/** The shopper's session, with a cart item and a few orders (seed-orders), and a product's slug. */
async function prepare(dist: string, db: string): Promise<{ cookie: string; slug: string }> {
  const registered = await fetch(`${origin}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(SHOPPER),
  })
  if (registered.status !== 201) throw new Error(`sign-up answered ${registered.status}`)
  const cookie = registered.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ')
  execFileSync('node', [join(dist, 'server.js'), 'seed-orders', '--count', '12', '--user', SHOPPER.email], {
    env: { PATH: process.env.PATH ?? '', DATABASE_PATH: db },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const { items } = (await (await fetch(`${origin}/api/products?limit=20&sort=price-desc`)).json()) as { items: { id: number; slug: string; stock: number }[] }
  const product = items.find((item) => item.stock > 5)!
  const added = await fetch(`${origin}/api/cart/items`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie },
    body: JSON.stringify({ productId: product.id, quantity: 1 }),
  })
  if (added.status !== 201) throw new Error(`add to cart answered ${added.status}`)
  return { cookie, slug: product.slug }
}

function pageTypes(slug: string): PageType[] {
  const all: PageType[] = [
    { name: 'home', path: '/', viewer: 'visitor' },
    { name: 'listing', path: '/products', viewer: 'visitor' },
    { name: 'search', path: '/products?q=mug', viewer: 'visitor' },
    { name: 'product', path: `/products/${slug}`, viewer: 'visitor' },
    { name: 'login', path: '/login', viewer: 'visitor' },
    { name: 'register', path: '/register', viewer: 'visitor' },
    { name: 'cart', path: '/cart', viewer: 'shopper' },
    { name: 'orders', path: '/orders', viewer: 'shopper' },
    { name: 'dashboard', path: '/dashboard', viewer: 'shopper' },
  ]
  return only ? all.filter((page) => only.includes(page.name)) : all
}

const score = (value: number | null | undefined) => Math.round((value ?? 0) * 100)

/** One Lighthouse run of a page; a run whose trace Chromium botched (NO_NAVSTART, now and then) is run again, up to twice. */
async function audit(url: string, cookie: string | undefined, tries = 3): Promise<Figures> {
  try {
    return await auditOnce(url, cookie)
  } catch (err) {
    if (tries <= 1 || !(err instanceof LighthouseRunError)) throw err
    console.log(`  (${err.message}: again)`)
    return audit(url, cookie, tries - 1)
  }
}

class LighthouseRunError extends Error {}

/** One Lighthouse run of a page (a fresh Chromium each time: nothing cached from the last). */
async function auditOnce(url: string, cookie: string | undefined): Promise<Figures> {
  const { origin } = new URL(url)
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu'] })
  try {
    const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', ...(cookie ? { extraHeaders: { Cookie: cookie } } : {}) })
    if (!result) throw new Error(`Lighthouse gave nothing for ${url}`)
    const { audits, categories } = result.lhr
    if (result.lhr.runtimeError) throw new LighthouseRunError(`${url}: ${result.lhr.runtimeError.code}`)
    const numeric = (id: string) =>
      Math.round((audits[id]?.numericValue ?? NaN) * (id === 'cumulative-layout-shift' ? 1000 : 1)) / (id === 'cumulative-layout-shift' ? 1000 : 1)
    const requests = (
      (audits['network-requests']?.details as { items?: { url: string; resourceType?: string; transferSize?: number }[] } | undefined)?.items ?? []
    ).filter((request) => request.url.startsWith(origin))
    const bytesOf = (type: string) => requests.filter((request) => request.resourceType === type).reduce((sum, request) => sum + (request.transferSize ?? 0), 0)
    const blocking = ((audits['render-blocking-resources']?.details as { items?: { url: string }[] } | undefined)?.items ?? []).map((item) =>
      item.url.replace(origin, ''),
    )
    const failed = (['accessibility', 'best-practices', 'seo'] as const).flatMap((category) =>
      (categories[category]?.auditRefs ?? [])
        .filter((ref) => ref.weight > 0 && audits[ref.id]?.score !== null && (audits[ref.id]?.score ?? 1) < 1)
        .map((ref) => `${category}: ${ref.id}${ref.id === 'is-crawlable' ? ` (blocked by ${blockingDirectives(audits[ref.id]?.details)})` : ''}`),
    )
    return {
      fcp: numeric('first-contentful-paint'),
      lcp: numeric('largest-contentful-paint'),
      tbt: numeric('total-blocking-time'),
      cls: numeric('cumulative-layout-shift'),
      performance: score(categories.performance?.score),
      accessibility: score(categories.accessibility?.score),
      bestPractices: score(categories['best-practices']?.score),
      seo: score(categories.seo?.score),
      jsBytes: bytesOf('Script'),
      htmlBytes: bytesOf('Document'),
      cssBytes: bytesOf('Stylesheet'),
      totalBytes: requests.reduce((sum, request) => sum + (request.transferSize ?? 0), 0),
      renderBlocking: blocking,
      cssFiles: requests.filter((request) => request.resourceType === 'Stylesheet').map((request) => request.url.replace(origin, '')),
      failed,
    }
  } finally {
    chrome.kill()
  }
}

/**
 * What keeps a page out of search engines, as is-crawlable reports it: a robots meta tag, an
 * X-Robots-Tag header or a robots.txt line. The store asks this of its private pages and search
 * results on purpose (issue #20); the report says which rule did it, so a reader can check that.
 */
function blockingDirectives(details: unknown): string {
  type Source = string | { snippet?: string; type?: string; url?: string; line?: number }
  const items = (details as { items?: { source: Source }[] } | undefined)?.items ?? []
  const describe = (source: Source) =>
    typeof source === 'string'
      ? source
      : (source.snippet ??
        (source.type === 'source-location' ? `${source.url ? new URL(source.url).pathname : '/robots.txt'} line ${(source.line ?? 0) + 1}` : 'an unnamed rule'))
  return items.map((item) => `\`${describe(item.source)}\``).join(' and ') || 'an unnamed rule'
}

/** The run in the middle by performance score, then by LCP: the figure a reader can trust. */
function medianRun(figures: Figures[]): Figures {
  const sorted = [...figures].sort((a, b) => a.performance - b.performance || b.lcp - a.lcp)
  return sorted[Math.floor((sorted.length - 1) / 2)]!
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const range = (all: Figures[], pick: (f: Figures) => number) => `${Math.min(...all.map(pick))}-${Math.max(...all.map(pick))}`

function table(rows: { page: PageType; figures: Figures; all: Figures[] }[]): string {
  const lines = [
    '| page | viewer | FCP | LCP | TBT | CLS | performance | accessibility | best practices | SEO | JavaScript | HTML | CSS files | render-blocking |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ]
  for (const { page, figures: f, all } of rows) {
    lines.push(
      `| ${page.name} \`${page.path.replace(/\/products\/[^?]+$/, '/products/:slug')}\` | ${page.viewer} | ${f.fcp.toFixed(0)} ms | ${f.lcp.toFixed(0)} ms (${range(all, (x) => Math.round(x.lcp))}) | ${f.tbt.toFixed(0)} ms | ${f.cls} | ${f.performance} (${range(all, (x) => x.performance)}) | ${f.accessibility} | ${f.bestPractices} | ${f.seo} | ${kb(f.jsBytes)} | ${kb(f.htmlBytes)} | ${kb(f.cssBytes)} | ${f.renderBlocking.join(', ') || 'none'} |`,
    )
  }
  return lines.join('\n')
}

interface Contender {
  server: string
  url: string
  figures: Figures
  all: Figures[]
}

function versusTable(rows: Contender[]): string {
  const lines = [
    '| server | FCP | LCP | TBT | CLS | performance | JavaScript | HTML | CSS files | render-blocking |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ]
  for (const { server, figures: f, all } of rows)
    lines.push(
      `| ${server} | ${f.fcp.toFixed(0)} ms | ${f.lcp.toFixed(0)} ms (${range(all, (x) => Math.round(x.lcp))}) | ${f.tbt.toFixed(0)} ms (${range(all, (x) => Math.round(x.tbt))}) | ${f.cls} | ${f.performance} (${range(all, (x) => x.performance)}) | ${kb(f.jsBytes)} | ${kb(f.htmlBytes)} | ${kb(f.cssBytes)} | ${f.renderBlocking.map((url) => `\`${url}\``).join(', ') || 'none'} |`,
    )
  return lines.join('\n')
}

/** The framework's own version, as installed in the app's folder. */
function versionOf(name: AppName): string {
  const version = (pkg: string) => JSON.parse(readFileSync(join(root, 'bench/apps', name, 'node_modules', pkg, 'package.json'), 'utf8')).version as string
  if (name === 'next') return `Next.js ${version('next')}`
  if (name === 'vike') return `Vike ${version('vike')} + vike-react ${version('vike-react')}`
  return `React Router ${version('react-router')}`
}

/** Every stylesheet and script a page names from its own origin must load: a 404 would be measured as a lighter page. */
async function requireAssets(server: string, url: string) {
  const html = await (await fetch(url)).text()
  const named = [...html.matchAll(/<(?:link|script)\b[^>]*?\b(?:href|src)="([^"]+\.(?:css|m?js))"/g)].map(
    (match) => new URL(match[1]!.replaceAll('&amp;', '&'), url),
  )
  for (const asset of named.filter((asset) => asset.origin === new URL(url).origin)) {
    const status = (await fetch(asset)).status
    if (status !== 200) throw new Error(`${server}: ${asset.pathname}, named by ${url}, answers ${status}`)
  }
}

/**
 * `/products` on Tessera and on each app, all started at once (idle but for the page Lighthouse
 * loads), run in turn: Tessera, then each app, `runs` times, so the machine's load falls on all
 * alike. Each app must render Tessera's `/products` markup first (requireSameMarkup).
 */
async function sideBySide(apps: PreparedApp[], db: string): Promise<Contender[]> {
  const reference = await (await fetch(`${origin}/products`)).text()
  const servers: { server: string; url: string }[] = [{ server: 'Tessera', url: `${origin}/products` }]
  const started = []
  try {
    for (const app of apps) {
      const url = `http://127.0.0.1:${app.port}/products`
      started.push((await startPinned(app.command, { ...app.env, DATABASE_PATH: db }, url, '0', app.cwd)).child)
      await requireSameMarkup(app.name, url, reference)
      await requireAssets(app.name, url)
      servers.push({ server: versionOf(app.name), url })
    }
    const all = new Map(servers.map(({ server }) => [server, [] as Figures[]]))
    for (let run = 0; run < runs; run++)
      for (const { server, url } of servers) {
        const figures = await audit(url, undefined)
        all.get(server)!.push(figures)
        console.log(
          `${server.padEnd(32)} run ${run + 1}: FCP ${figures.fcp.toFixed(0)} ms · LCP ${figures.lcp.toFixed(0)} ms · TBT ${figures.tbt.toFixed(0)} ms · CLS ${figures.cls} · ${figures.performance} · JS ${kb(figures.jsBytes)}`,
        )
      }
    return servers.map(({ server, url }) => ({ server, url, figures: medianRun(all.get(server)!), all: all.get(server)! }))
  } finally {
    for (const child of started) await stop(child)
  }
}

async function main() {
  const dist = build()
  // Every build before the first measurement, none competing with one.
  const apps = versus.map((name) => {
    console.log(`building ${name}…`)
    return prepareApp(root, name, appPorts[name])
  })
  const db = join(work, 'tessera.db')
  const server = await startPinned(
    ['node', join(dist, 'server.js')],
    { DATABASE_PATH: db, HOST: '127.0.0.1', PORT: '4120', LOG_LEVEL: 'warn' },
    `${origin}/healthz`,
  )
  try {
    const { cookie, slug } = await prepare(dist, db)
    const rows: { page: PageType; figures: Figures; all: Figures[] }[] = []
    for (const page of pageTypes(slug)) {
      const all: Figures[] = []
      for (let run = 0; run < runs; run++) all.push(await audit(origin + page.path, page.viewer === 'shopper' ? cookie : undefined))
      const figures = medianRun(all)
      rows.push({ page, figures, all })
      console.log(
        `${page.name.padEnd(10)} FCP ${figures.fcp.toFixed(0)} ms · LCP ${figures.lcp.toFixed(0)} ms · TBT ${figures.tbt.toFixed(0)} ms · CLS ${figures.cls} · scores ${figures.performance}/${figures.accessibility}/${figures.bestPractices}/${figures.seo} · JS ${kb(figures.jsBytes)}${figures.failed.length ? ` · not passed: ${figures.failed.join(', ')}` : ''}`,
      )
    }
    const contenders = apps.length ? await sideBySide(apps, db) : []
    const chromium = execFileSync(chromePath, ['--version'], { encoding: 'utf8' }).trim()
    const failed = [...new Set(rows.flatMap(({ page, figures }) => figures.failed.map((audit) => `${audit} (${page.name})`)))]
    const left = appNames.filter((name) => !versus.includes(name))
    const versusSection = contenders.length
      ? [
          '## `/products` side by side',
          '',
          `Tessera and ${apps.map((app) => versionOf(app.name)).join(', ')} (bench/apps, production builds as \`npm run bench\` makes them), each rendering Tessera's own \`/products\` markup and loading every stylesheet and script it names (both checked before the runs) from the same database, a visitor's page; Tessera's is its page cache's copy, as in the table above, the apps render every request. All started at once, each pinned to core 0, and run in turn (Tessera, then each app) ${runs} times, each run in a fresh Chromium; the median run by performance score shown (ranges over the runs in brackets). Bytes as transferred (gzipped), the server's own origin.${left.length ? ` Not measured in this run: ${left.join(', ')} (BENCH_VERSUS).` : ''}`,
          '',
          versusTable(contenders),
          '',
          "The same stylesheet everywhere: Tessera's `shared/ui/styles.css`. Tessera's build inlines it in a `<style>` in the head (no CSS file). The apps link it as each framework normally does:",
          '',
          ...apps.map((app) => {
            const files = contenders.find((row) => row.server === versionOf(app.name))?.figures.cssFiles ?? []
            return `- ${versionOf(app.name)}: ${howStyled[app.name]} (${files.map((file) => `\`${file}\``).join(', ') || 'no CSS file loaded'}).`
          }),
          '',
        ]
      : []
    const report = [
      `# Lighthouse, ${reportTime(new Date())} UTC`,
      '',
      `Tessera ${ref ? `at \`${ref}\`` : 'working tree'} (${execFileSync('git', ['rev-parse', '--short', ref ?? 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()}${ref ? '' : ' and any uncommitted change'}), production build, a fresh database of 1,000 products; Lighthouse ${JSON.parse(readFileSync(join(root, 'node_modules/lighthouse/package.json'), 'utf8')).version} (npm), its default mobile run (simulated slow 4G, 4x CPU slowdown), ${chromium}, headless; ${runs} runs a page, the median by performance score shown (ranges over the runs in brackets). Bytes as transferred (gzipped), this origin only. The machine is shared: TBT moves with its load, FCP and LCP (simulated from the page's request graph) much less.`,
      '',
      table(rows),
      '',
      failed.length
        ? `Audits not passed (accessibility, best practices, SEO):\n\n${failed.map((line) => `- ${line}`).join('\n')}`
        : 'Every accessibility, best-practices and SEO audit passed on every page.',
      '',
      ...versusSection,
    ].join('\n')
    publishReport(root, report, { suffix: '-lighthouse', partial: only ? 'BENCH_PAGES' : '' })
  } finally {
    await stop(server.child)
  }
}

await main()
