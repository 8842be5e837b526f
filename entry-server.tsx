/**
 * The server bundle's door: finds the domains, then assembles the Hono app from shared/ and
 * them. `server.ts` owns the process and calls `loadDomains()` and `createApp()`.
 */
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { allOf, cacheMigrations, createInvalidationLog, dataCaches, PageCache } from '#shared/cache'
import { createJobWorker, jobMigrations, jobQueueDepth, keepQueueClock, registerJobTypes } from '#shared/jobs'
import { backupCommand, migrationSources, migratorMigrations, type MigrationSet } from '#shared/db'
import {
  DomainMistake,
  domainOf,
  importDomain,
  inDependencyOrder,
  oneOwnerPerName,
  refuseStrayFiles,
  refuseTsxEntries,
  refuseUnfilledSlots,
  type Domain,
  type DomainCommand,
} from '#shared/domain'
import {
  apiEtags,
  checkApiResponses,
  compressResponses,
  crossSiteGuard,
  requestId,
  createMetrics,
  METRICS_PATH,
  metricsAccess,
  metricsRoutes,
  isApiPath,
  normalisePaths,
  oneHost,
  privateAnswers,
  refuseDotSegments,
  headContentLength,
  health,
  requestLogger,
  securityHeaders,
  siteFiles,
  sitemapListsAny,
  sitemapRoutes,
  statusErrorBody,
  traceRequests,
  type AppEnv,
} from '#shared/http'
import type { App, AppDeps } from '#shared/process'
import { foreignCookies, NEXTJS_REQUEST_HEADERS, upstreamProxy } from '#shared/gateway'
import { startTracing, stopTracing, tracingConfigured, tracingOn } from '#shared/tracing'
import { registerSlots } from '#shared/ui'
import {
  answerErrors,
  answerUnmatched,
  cachedAnswers,
  createRenderer,
  layoutSources,
  mountApiReference,
  mountPages,
  pageIdRegistry,
  refuseBrokenPages,
  strayPageFiles,
  unroutedPages,
} from '#shared/ssr'

type DomainModule = { default?: Domain }
type SlotModule = Parameters<typeof registerSlots>[0][string]

/** Every domain folder: `domains/<name>/index.ts` (plus the test fixtures in test builds). */
const domainModules: Record<string, () => Promise<DomainModule>> = {
  ...import.meta.glob<DomainModule>('/domains/*/index.ts'),
  ...(__TESSERA_FIXTURES__ ? import.meta.glob<DomainModule>('/tests/fixtures/domains/*/index.ts') : {}),
}
// What each domain puts in other domains' pages (shared/ui Slot), as the client registers them.
const slotModules = {
  ...import.meta.glob<SlotModule>('/domains/*/slots/*.slot.tsx', { eager: true }),
  ...(__TESSERA_FIXTURES__ ? import.meta.glob<SlotModule>('/tests/fixtures/domains/*/slots/*.slot.tsx', { eager: true }) : {}),
}
registerSlots(slotModules)
const pageModules: Record<string, () => Promise<unknown>> = {
  ...import.meta.glob('/domains/*/pages/*.page.tsx'),
  ...(__TESSERA_FIXTURES__ ? import.meta.glob('/tests/fixtures/domains/*/pages/*.page.tsx') : {}),
}
/**
 * Files meant as pages that can never be one (a misspelt suffix or folder), only to name them: as
 * text, so a file of any kind builds (no page is among them: those are pageModules).
 */
const strayPageGlob = {
  ...import.meta.glob(['/domains/*/pages/**', '/domains/*/**/*.page.*', '!/domains/*/pages/*.page.tsx', '!**/*.test.*'], { query: '?raw' }),
  ...(__TESSERA_FIXTURES__
    ? import.meta.glob(
        ['/tests/fixtures/domains/*/pages/**', '/tests/fixtures/domains/*/**/*.page.*', '!/tests/fixtures/domains/*/pages/*.page.tsx', '!**/*.test.*'],
        {
          query: '?raw',
        },
      )
    : {}),
}

/**
 * Every file in a migrations folder, and in folders below it, as text: to name one that would
 * never run, and for each migration's checksum (an edit after it ran is warned of; the file's text
 * is the same in dev and in the build, its bundled code is not).
 */
const migrationTexts: Record<string, string> = {
  ...import.meta.glob<string>('/domains/*/migrations/**', { query: '?raw', import: 'default', eager: true }),
  ...(__TESSERA_FIXTURES__ ? import.meta.glob<string>('/tests/fixtures/domains/*/migrations/**', { query: '?raw', import: 'default', eager: true }) : {}),
  ...import.meta.glob<string>('/shared/*/migrations/*.server.ts', { query: '?raw', import: 'default', eager: true }),
}
// The domains' (the test fixtures' too), not the platform's.
const migrationFiles = Object.keys(migrationTexts).filter((file) => !file.startsWith('/shared/'))

export async function loadDomains(): Promise<Domain[]> {
  refuseTsxEntries(Object.keys(import.meta.glob('/domains/*/index.tsx')))
  refuseStrayFiles([...Object.keys(slotModules), ...Object.keys(pageModules), ...migrationFiles], Object.keys(domainModules))
  const domains = await Promise.all(Object.entries(domainModules).map(async ([file, load]) => domainOf(file, await importDomain(file, load))))
  refuseUnfilledSlots(slotModules, domains)
  return domains.sort((a, b) => a.name.localeCompare(b.name))
}

/** The platform's and every domain's migrations, for `runMigrations()`, in the order they run. */
export function migrationsOf(domains: Domain[]): MigrationSet {
  const migrations = Object.assign(
    { ...cacheMigrations, ...jobMigrations, ...migratorMigrations },
    ...inDependencyOrder(domains).map((domain) => domain.migrations),
  )
  return migrationSources(migrations, migrationTexts)
}

/** The platform's and every domain's operator commands by name. */
export function commandsOf(domains: Domain[]): Record<string, DomainCommand> {
  return oneOwnerPerName<DomainCommand>('command', [
    { owner: 'the platform', parts: { backup: backupCommand } },
    ...domains.map((domain) => ({ owner: domain.name, parts: domain.commands })),
  ])
}

export async function createApp({
  domains,
  db,
  config,
  log,
  assetsFor,
  serveAssets,
  background = true,
  warn = (message) => log.warn(message),
}: AppDeps): Promise<App> {
  const dev = config.NODE_ENV === 'development'
  // Loads OpenTelemetry only when an OTLP endpoint is configured (docs/observability.md).
  if (tracingConfigured(config)) await startTracing(config)
  const pageCache = new PageCache({ maxBytes: config.PAGE_CACHE_MAX_BYTES, onError: (err, key) => log.error('page regeneration failed', { err, key }) })
  // The log drops cached pages and the domains' cached data (DataCache) by the same tags.
  const invalidations = createInvalidationLog(db, allOf(pageCache, dataCaches), {
    pollMs: config.PAGE_CACHE_SYNC_MS,
    onError: (err) => log.error('cache invalidation poll failed', { err }),
  })
  // A name two domains give their jobs stops the start.
  const handlers = oneOwnerPerName(
    'job',
    domains.map((domain) => ({ owner: domain.name, parts: domain.jobs?.({ db, config, log }) })),
  )
  // From now on a job of another type is refused as it is queued, not failed at its every run.
  registerJobTypes(Object.keys(handlers))
  const worker = createJobWorker(db, {
    handlers,
    pollMs: config.JOBS_POLL_MS,
    leaseMs: config.JOBS_LEASE_MS,
    onError: (err, job) => (job ? log.error('job failed', { err, job }) : log.error('job queue: polling failed; retrying, quieter, until it works', { err })),
    onPollsResumed: (failedPolls) => log.info('job queue: polling works again', { failedPolls }),
  })
  // The header's navigation, viewer and badges, and the cookies that make a page personal.
  const layout = layoutSources(domains)
  const renderer = createRenderer({
    ...layout,
    assetsFor,
    renderTimeoutMs: config.RENDER_TIMEOUT_MS,
    exposeErrors: dev,
    onError: (err, c) => c.get('log').error('render failed', { err, path: c.req.path }),
  })
  const pageIdOf = await pageIdRegistry(pageModules)
  const routedPages = await refuseBrokenPages(domains, pageIdOf)
  if (background)
    for (const unrouted of [...unroutedPages(Object.keys(pageModules), routedPages), ...strayPageFiles(Object.keys(strayPageGlob))]) warn(unrouted)

  const metrics = createMetrics({ queueDepth: () => jobQueueDepth(db) })
  // Who is signed in, for upstreams (remote domains): from the domain that says (auth).
  const identityProvider = domains.find((domain) => domain.identity)?.identity
  const identify = async (c: Context<AppEnv>) => (identityProvider ? identityProvider(c) : null)
  const metricsAt = metricsAccess(config)
  if (metricsAt.hint && background) warn(metricsAt.hint) // once, not once per cluster worker
  if (!config.PUBLIC_URL && !dev && background) {
    log.warn(
      `PUBLIC_URL is not set: absolute links (canonical, Open Graph, sitemap) name each request's Host, and the page cache keeps a copy per Host, which a client sending many Hosts can fill${config.FALLBACK_UPSTREAM ? '; the fallback app is told no X-Forwarded-Host (Next.js Server Actions, which compare it with Origin, then fail)' : ''}; set PUBLIC_URL=https://your.shop`,
    )
  }
  const app = new Hono<AppEnv>()
  app.use(requestId(), async function context(c, next) {
    c.set('db', db)
    c.set('config', config)
    // Every line this request causes carries its id, errors included.
    c.set('log', log.child({ requestId: c.get('requestId') }))
    c.set('cache', invalidations)
    c.set('identify', () => identify(c))
    c.set('upstreamMetrics', metrics.upstream)
    await next()
  })
  if (tracingOn()) app.use(traceRequests())
  app.use(
    requestLogger(),
    metrics.record(),
    securityHeaders({ dev, styleSources: assetsFor.styleSources, noindex: config.CRAWLERS === 'deny' }),
    headContentLength(),
    compressResponses(),
    oneHost(),
    refuseDotSegments(),
    normalisePaths(),
  )
  if (serveAssets) app.route('/', serveAssets)
  // The rest of the body is read and dropped after the answer, keeping the connection (serve()'s discardUnreadBody).
  const tooLarge = (c: Context) =>
    isApiPath(c.req.path)
      ? c.json(statusErrorBody(413), 413)
      : renderer.renderErrorPage(c, 413, 'Too large', 'That was more than this site accepts in one go. Please send less.')
  const limitBody = bodyLimit({ maxSize: config.BODY_LIMIT_BYTES, onError: tooLarge })
  // Only requests that may carry a body: asking a GET for its body builds a full web Request.
  // Behind a TLS-terminating proxy the request URL says http://: compare Origin with PUBLIC_URL.
  app.use(crossSiteGuard({ origin: config.PUBLIC_URL }), (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)))
  app.use('/api/*', apiEtags())
  // A session's or a cart's answers: private, unless a route says how to cache them.
  app.use(privateAnswers(layout.personalCookies))
  // In tests, in-process and in the test build, every API answer is checked against the contract
  // its route declares (docs/api.md); the shipped build has no check.
  if (config.NODE_ENV === 'test' || __TESSERA_CHECK_API__) app.use('/api/*', checkApiResponses())

  app.route('/', health)
  const sitemap = Object.values(
    oneOwnerPerName(
      'sitemap source',
      domains.map((domain) => ({ owner: domain.name, parts: Object.fromEntries(domain.sitemap.map((source) => [source.name, source])) })),
    ),
  )
  // Cached and dropped by their sources' tags like pages; a part over a 64th of the cache (1 MiB
  // of 64: a full part is ~1.3 MB) streams uncached, so a crawl of a large catalogue's parts (100
  // at a million products) never pushes the pages out. With CRAWLERS=deny (a staging copy) there is
  // none, as robots.txt names none: a 404 here (not the fallback app's), rather than every address
  // of a site no crawler is to visit, handed to whoever asks.
  const listed = config.CRAWLERS === 'deny' ? [] : sitemap
  app.route(
    '/',
    siteFiles({
      noCrawl: ['/api', ...domains.flatMap((domain) => domain.noCrawl)],
      crawlers: config.CRAWLERS,
      name: 'Tessera',
      // Named only while the index lists something: its sources may all be empty (a 404 then).
      sitemap: (c) => sitemapListsAny(c.var.db, listed),
    }),
  )
  app.route('/', sitemapRoutes(listed, cachedAnswers(pageCache, { maxAge: 3600, maxBodyBytes: config.PAGE_CACHE_MAX_BYTES / 64 })))
  // Operational data, for your monitoring only: behind METRICS_TOKEN in production (see metricsAccess).
  if (metricsAt.onPublicPort) app.route('/', metricsRoutes({ token: metricsAt.token, collect: metrics.collect }))
  const mounted = new Map<string, string>()
  for (const domain of domains) {
    for (const [name, api] of Object.entries(domain.apis)) {
      if (mounted.has(name)) throw new DomainMistake(`Both ${mounted.get(name)} and ${domain.name} mount /api/${name}`)
      mounted.set(name, domain.name)
      app.route(`/api/${name}`, api)
    }
  }
  mountApiReference(app, {
    renderer,
    publicUrl: config.PUBLIC_URL,
    apis: Object.assign({}, ...domains.map((domain) => domain.apiDescriptions)),
  })
  // Last: a page at a path answered above (or by another domain's page) stops the start.
  mountPages(app, domains, {
    renderer,
    pageIdOf,
    pageCache,
    personalCookies: layout.personalCookies,
    reservedPaths: [METRICS_PATH],
    loaderTimeoutMs: config.RENDER_TIMEOUT_MS,
    checkData: config.NODE_ENV !== 'production',
  })

  // Moving off another app: what no route, page or asset here answers goes there, pages and API alike.
  const fallback = config.FALLBACK_UPSTREAM
    ? upstreamProxy({
        name: 'fallback',
        upstream: config.FALLBACK_UPSTREAM,
        timeoutMs: config.FALLBACK_TIMEOUT_MS,
        // What a Next.js app reads, and the operator's own (X-Tenant): validated at start-up.
        requestHeaders: [...NEXTJS_REQUEST_HEADERS, ...(config.FALLBACK_REQUEST_HEADERS ?? [])],
        cookies: foreignCookies,
        setCookie: true,
        ownSecurityHeaders: true,
        csp: config.FALLBACK_CSP,
        failure: (c, status, error) =>
          isApiPath(c.req.path)
            ? c.json({ error }, status)
            : renderer.renderErrorPage(c, status, 'Something went wrong', 'This page could not be loaded. Please try again in a moment.'),
      })
    : undefined
  app.notFound(
    answerUnmatched(app, {
      renderer,
      pagePaths: domains.flatMap((domain) => domain.routes.map((route) => route.path)),
      fallback: fallback && ((c) => fallback(c, '')),
    }),
  )
  app.onError(answerErrors(renderer, { dev }))
  // Started last, once nothing above can stop the start: a start refused (a path two domains claim)
  // leaves no poll, job worker or domain task running (the dev server tries again at each request).
  invalidations.start()
  const stops = background ? await Promise.all(domains.map((domain) => domain.start?.({ db, config, log }))) : []
  // Jobs are due by the database's clock, so hosts whose clocks differ agree (every process enqueues).
  const stopQueueClock = await keepQueueClock(db, (err) => log.warn("could not read the database's clock for the job queue", { err }))
  if (background) worker.start()
  return {
    app,
    privateMetrics: metricsAt.privatePort === undefined ? undefined : metricsRoutes({ token: metricsAt.token, collect: metrics.collect }),
    close: async () => {
      invalidations.stop()
      for (const stop of stops) stop?.()
      stopQueueClock()
      await worker.stop()
      await stopTracing({ onError: (err) => log.warn('traces not sent at shutdown', { err }) }) // sends the spans still waiting
    },
  }
}

export { manifestAssets, devAssets } from '#shared/ssr'
export { answerMetricsForWorkers, metricsAccess, metricsRoutes, staticAssets } from '#shared/http'
