import type { Context, Hono } from 'hono'
import type { PageCache } from '#shared/cache'
import { DomainMistake, type Domain, type LoaderContext, type PageModule, type PageRoute } from '#shared/domain'
import { HttpError, isAnonymous, isApiPath, publicOrigin, redirectTarget, requestHeader, varyOn, type AppEnv } from '#shared/http'
import { inSpan } from '#shared/tracing'
import { DATA_HEADER, type ActionState, type Head } from '#shared/ui'
import type { Renderer } from './render-page.server.tsx'
import { trackDeferred } from './deferred.server.ts'
import { checkedData } from './serialisable.ts'
import { pathAndQuery, queryOf } from './request-url.ts'
import { runAction, type ClientErrorStatus } from './run-action.server.ts'
import { declaredQuery, markCacheState, serveCached } from './serve-cached.server.ts'

interface MountOptions {
  renderer: Renderer
  /** The file of a loaded page module, see `pageIdRegistry`. */
  pageIdOf: (module: unknown) => string
  pageCache: PageCache
  /** A request carrying one of these gets pages of its own, never the cache's (see `isAnonymous`). */
  personalCookies: readonly string[]
  /**
   * Paths the platform answers in some configurations only (`/metrics`, with METRICS_TOKEN): no
   * page may take them, whatever this start's configuration, or setting a variable later would stop it.
   */
  reservedPaths?: readonly string[]
  /** Longest a loader may take (RENDER_TIMEOUT_MS): one that never settles held its request open for good, logging nothing. */
  loaderTimeoutMs: number
  /** Development and tests: a loader's data JSON would not carry as it is (a Date, a Map, a BigInt) fails the page, naming it. */
  checkData?: boolean
}

/**
 * A rendered page: its response, the cache tags its data gave, whether it may be cached, and
 * whether it is one of endless addresses (see `isLongTail`).
 */
type Rendered = { res: Response; tags: string[]; cacheable?: boolean; longTail?: boolean }

type Extra = { status?: ClientErrorStatus; action?: ActionState }

/**
 * Each domain page answers `GET <path>` (HTML, or NDJSON data for client navigation when asked
 * with `X-Tessera-Data: 1`) and, when it has an action, `POST <path>`.
 */
export function mountPages(app: Hono<AppEnv>, domains: Domain[], options: MountOptions): void {
  claimPagePaths(app, domains, options.reservedPaths ?? [])
  for (const domain of domains) {
    for (const route of domain.routes) {
      const show = async (c: Context<AppEnv>, extra: Extra = {}) => (await showPage(c, route, extra, options)).res
      const cache = options.pageCache.enabled ? route.cache : undefined
      if (route.use?.length) app.use(route.path, ...route.use)
      app.get(route.path, (c) => {
        if (!cache) return show(c)
        if (!isAnonymous(c, options.personalCookies)) return show(c).then((res) => personal(c, res))
        return serveCached(c, options.pageCache, cache, () => showPage(c, route, {}, options))
      })
      const action = route.action
      if (action) app.post(route.path, (c) => runAction(c, action, loaderContext(c, route), show))
    }
  }
}

/**
 * Checks that each page path is one domain's, and not one the app answers already (`/healthz`,
 * `/api-docs`, an API): a page another route also matches was never reached, silently (a new
 * domain's `/products/new` went to products' `/products/:slug`; its `/products/:id` hid every
 * product page). Across owners, any address both match is a clash; within a domain, only the
 * same path (a parameter's pattern tells two paths apart: `/things/:id{[0-9]+}`, `/things/:slug`).
 */
function claimPagePaths(app: Hono<AppEnv>, domains: Domain[], reservedPaths: readonly string[]): void {
  const answered = [...app.routes.filter((route) => route.method === 'GET').map((route) => route.path), ...reservedPaths]
  const claimed = answered.map((path) => ({ owner: 'the platform or an API', path }))
  for (const domain of domains) {
    for (const route of domain.routes) {
      // /api is the APIs': its errors answer JSON, and a domain's API may take the path tomorrow.
      if (isApiPath(route.path)) throw new DomainMistake(`${domain.name}'s page ${route.path} is under /api, which is for APIs (JSON): move the page out of it`)
      const other = claimed.find((earlier) => (earlier.owner === domain.name ? samePath(earlier.path, route.path) : overlap(earlier.path, route.path)))
      if (other)
        throw new DomainMistake(`Both ${other.owner} (${other.path}) and ${domain.name} (${route.path}) answer the same GET address: change one of the paths`)
      claimed.push({ owner: domain.name, path: route.path })
    }
  }
}

/** A path's segments: a literal, or a parameter with its pattern, if any (`:id{[0-9]+}`). */
const segmentsOf = (path: string) =>
  path.split('/').map((segment) => (segment.startsWith(':') ? { pattern: /\{(.*)\}$/.exec(segment)?.[1] ?? '' } : { literal: segment }))

/** The same path, whatever its parameters are named. */
const samePath = (a: string, b: string) => JSON.stringify(segmentsOf(a)) === JSON.stringify(segmentsOf(b))

type Segment = ReturnType<typeof segmentsOf>[number]

/**
 * Whether some address matches both paths (a pattern against a pattern: only the same pattern). A
 * trailing `*` matches whatever follows, nothing included (`/x/*` answers `/x`, `/x/a/b`).
 */
function overlap(a: string, b: string): boolean {
  const [left, right] = [segmentsOf(a), segmentsOf(b)]
  const restFrom = (segments: Segment[], at: number) => at === segments.length - 1 && isRest(segments[at]!)
  for (let at = 0; ; at++) {
    if (restFrom(left, at) || restFrom(right, at)) return true
    const [one, two] = [left[at], right[at]]
    if (!one || !two) return !one && !two
    if (!segmentsOverlap(one, two)) return false
  }
}

const isRest = (segment: Segment) => 'literal' in segment && segment.literal === '*'

function segmentsOverlap(one: Segment, two: Segment): boolean {
  if ('literal' in one && 'literal' in two) return one.literal === two.literal
  if ('pattern' in one && 'pattern' in two) return one.pattern === '' || two.pattern === '' || one.pattern === two.pattern
  const [param, literal] = 'pattern' in one ? [one, two as { literal: string }] : [two as { pattern: string }, one as { literal: string }]
  return param.pattern === '' || new RegExp(`^(?:${param.pattern})$`).test(literal.literal)
}

/** A cacheable page rendered for a visitor with a session or a cart: theirs alone. */
function personal(c: Context, res: Response): Response {
  res.headers.set('Cache-Control', 'private, no-store')
  markCacheState(c, res, 'BYPASS')
  return res
}

/** Renders a page: its response, and the cache tags its data gives (when the route is cached). */
async function showPage(c: Context<AppEnv>, route: PageRoute, extra: Extra, options: MountOptions): Promise<Rendered> {
  const { renderer, pageIdOf } = options
  const asData = requestHeader(c, DATA_HEADER) === '1'
  const [module, loaded] = await Promise.all([pageModuleOf(route), load(route, c, options)])
  if (!loaded.ok) {
    const { error } = loaded
    const target = redirectTarget(error)
    if (target && asData) {
      // Not the page's data: kept by no cache, and apart from the HTML answer at this address.
      const res = c.body(`${JSON.stringify({ redirect: target })}\n`, 200, {
        'Content-Type': 'application/x-ndjson; charset=utf-8',
        'Cache-Control': 'no-store',
        Vary: DATA_HEADER,
      })
      return { res, tags: [], cacheable: false }
    }
    // The page's own not-found and error views, when it has them; else the app's (onError).
    if (!asData && error instanceof HttpError && error.status === 404 && module.NotFound) {
      return { res: await renderer.renderStatic(c, 404, 'Page not found', <module.NotFound message={error.message} />), tags: [] }
    }
    if (!asData && !target && !(error instanceof HttpError) && module.ErrorFallback) {
      c.var.log.error('loader failed', { err: error, path: c.req.path })
      return {
        res: await renderer.renderStatic(c, 500, 'Something went wrong', <module.ErrorFallback error={renderer.loaderErrorShown(error)} />),
        tags: [],
      }
    }
    throw error
  }
  const { data } = loaded
  const params = c.req.param() as Record<string, string>
  const address = pathAndQuery(c, keptOf(route) ?? NO_QUERY)
  const head = completeHead(c, route.head?.(data) ?? { title: 'Tessera' }, address)
  const view = {
    // A cached page's own address: the declared parameters only, as in its key (never a visitor's junk).
    url: pathAndQuery(c, keptOf(route)),
    pageId: pageIdOf(module),
    Page: module.default,
    ErrorFallback: module.ErrorFallback,
    data,
    params,
    head,
    ...(await renderer.layoutFor(c)),
    ...extra,
  }
  const res = asData ? await renderer.renderData(c, view) : await renderer.renderPage(c, view)
  // The same URL answers HTML or data: caches must keep them apart.
  varyOn(res.headers, DATA_HEADER)
  const tags = route.cache?.tags
  return { res, tags: typeof tags === 'function' ? tags(data, params) : (tags ?? []), longTail: isLongTail(c, head, address) }
}

/**
 * Whether a page is one of endless addresses: one its head keeps out of search engines (a
 * search's results, a listing from any row's cursor), or an address that is not its canonical
 * one (`?page=02`, `?sort=` left blank). Any visitor can make new ones without end; the page
 * cache keeps them within its tail share, so they cannot push the site's own pages out.
 */
function isLongTail(c: Context<AppEnv>, head: Head, address: string): boolean {
  return Boolean(head.noindex) || head.canonical !== publicOrigin(c) + address
}

const pageModules = new WeakMap<PageRoute, PageModule<unknown>>()

/** A route's page module: imported once, then at hand (each import() is a trip through Node's module loader). */
async function pageModuleOf(route: PageRoute): Promise<PageModule<unknown>> {
  let module = pageModules.get(route)
  if (!module) pageModules.set(route, (module = await route.page()))
  return module
}

async function load(
  route: PageRoute,
  c: Context<AppEnv>,
  { loaderTimeoutMs, checkData }: MountOptions,
): Promise<{ ok: true; data: unknown } | { ok: false; error: unknown }> {
  try {
    const loaded = route.load
      ? await inSpan('loader', { 'tessera.route': route.path }, () => inTime(route, route.load!(loaderContext(c, route)), loaderTimeoutMs))
      : undefined
    const data = checkData ? checkedData(route.path, loaded) : loaded
    trackDeferred(data)
    return { ok: true, data }
  } catch (error) {
    return { ok: false, error }
  }
}

/** The loader's data, or an error naming the route once `timeoutMs` has passed without it. */
function inTime(route: PageRoute, data: unknown, timeoutMs: number): unknown {
  if (!(data instanceof Promise)) return data
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`The loader of ${route.path} did not finish in ${timeoutMs} ms (RENDER_TIMEOUT_MS): does it await something that never settles?`)),
      timeoutMs,
    )
  })
  return Promise.race([data, late]).finally(() => clearTimeout(timer))
}

/**
 * A cached route's loader sees only the query parameters its rule declares, whether or not this
 * request is served from the cache (a signed-in visitor, the cache off): one page per key.
 */
function loaderContext(c: Context<AppEnv>, route: PageRoute): LoaderContext {
  return { params: c.req.param() as Record<string, string>, query: queryOf(c, keptOf(route)), request: c.req.raw, db: c.get('db'), c }
}

const keptOf = (route: PageRoute) => (route.cache ? declaredQuery(route.cache) : undefined)
const NO_QUERY: ReadonlySet<string> = new Set()

/**
 * The page's head with its addresses absolute (PUBLIC_URL, else the request's origin): its
 * canonical one (its own, or its path and declared query, without `page=1`), its image, a
 * listing's previous and next pages, and the paths in its JSON-LD's `url`, `item`, `image`…
 */
function completeHead(c: Context<AppEnv>, head: Head, address: string): Head {
  const origin = publicOrigin(c)
  const canonical = head.canonical === undefined && isPlainPath(address) ? origin + address : canonicalUrl(head.canonical ?? address, origin)
  const absolute = (address: string) => new URL(address, origin).href
  return {
    ...head,
    canonical,
    ...(head.image ? { image: absolute(head.image) } : {}),
    ...(head.prev ? { prev: absolute(head.prev) } : {}),
    ...(head.next ? { next: absolute(head.next) } : {}),
    ...(head.jsonLd ? { jsonLd: head.jsonLd.map((data) => withAbsoluteLinks(data, absolute) as Record<string, unknown>) } : {}),
  }
}

/** The JSON-LD properties that hold an address: a path in one becomes absolute, as search engines want them. */
const LINK_PROPERTIES = new Set(['@id', 'url', 'item', 'image', 'logo'])

function withAbsoluteLinks(value: unknown, absolute: (path: string) => string, key = ''): unknown {
  if (typeof value === 'string') return LINK_PROPERTIES.has(key) && value.startsWith('/') && !value.startsWith('//') ? absolute(value) : value
  if (Array.isArray(value)) return value.map((item) => withAbsoluteLinks(item, absolute, key))
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, withAbsoluteLinks(item, absolute, name)]))
}

/** `new URL(address, origin)` without `page=1`. */
function canonicalUrl(address: string, origin: string): string {
  const canonical = new URL(address, origin)
  if (canonical.searchParams.get('page') === '1') canonical.searchParams.delete('page')
  return canonical.href
}

/**
 * A path without a query, cut from the request's URL, which is already parsed and normalised (see
 * `pathAndQuery`): parsing it again changes nothing. Most pages' canonical address is one; two
 * `new URL()` a request were ~20 µs of a product page (measured, CPU profile).
 */
const isPlainPath = (address: string) => address.startsWith('/') && !address.startsWith('//') && !address.includes('?')
