import type { Context } from 'hono'
import type { CachedPage, CachePolicy, PageCache } from '#shared/cache'
import type { PageCacheRule } from '#shared/domain'
import { hash } from 'node:crypto'
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import {
  acceptsGzip,
  allowScriptHashes,
  COMPRESS_THRESHOLD_BYTES,
  evaluatePreconditions,
  publicOrigin,
  requestHeader,
  scriptHashSources,
  withVary,
  type AppEnv,
} from '#shared/http'
import { DATA_HEADER } from '#shared/ui'
import { startSpan } from '#shared/tracing'
import { pathAndQuery } from './request-url.ts'

/**
 * A fresh render of the page, the cache tags its data gave, whether it may be stored, and
 * whether it is a long-tail page (kept within the cache's tail share: `CachedPage.longTail`).
 */
export type FreshRender = () => Promise<{ res: Response; tags: string[]; cacheable?: boolean; longTail?: boolean }>

/**
 * Serves a page from the page cache (HTML and navigation data are cached apart). A MISS renders
 * and stores a whole 200 answer; anything else (a redirect, a 404) is passed through uncached.
 * `X-Cache` tells HIT, STALE or MISS; `Cache-Control` lets a CDN in front do the same.
 */
export async function serveCached(c: Context<AppEnv>, cache: PageCache, rule: PageCacheRule<unknown>, render: FreshRender): Promise<Response> {
  const { policy, cacheControl, cdnCacheControl, query } = termsOf(rule)
  // Only the query parameters the page declares, sorted: junk ones (`?utm_source=…`) share its entry.
  // Its origin too: without PUBLIC_URL a page's absolute links name the Host it was asked for.
  const key = `${requestHeader(c, DATA_HEADER) === '1' ? 'data' : 'html'} ${publicOrigin(c)}${pathAndQuery(c, query)}`
  let uncacheable: Response | undefined
  // The lookup's span (with tracing on) spans the render a MISS waits for; the render's own are its siblings.
  // The key without its query: a search (an email typed into it) is no span's business.
  const span = startSpan('page-cache', { 'tessera.cache.key': key.split('?', 1)[0] })
  const { page, state } = await cache.resolve(key, policy, async () => {
    const { res, tags, cacheable = true, longTail = false } = await render()
    // Only a whole, healthy, impersonal 200: not a redirect line, nor a page with a failed part,
    // nor one that sets a cookie (a CDN would hand it to everyone), nor a HEAD's (no body to
    // wait for its deferred parts, so none at all).
    if (res.status !== 200 || !cacheable || res.headers.has('Set-Cookie') || c.req.method !== 'GET') {
      uncacheable = res
      return null
    }
    const text = await res.text()
    if (!c.get('renderDegraded')) return await toCachedPage(c, text, res.headers, tags, longTail)
    uncacheable = new Response(text, res)
    return null
  })
  span.setAttribute('tessera.cache.state', page ? state : 'MISS')
  span.end()
  // A render shared with another request that could not be cached: this one renders its own.
  if (!page) {
    const res = uncacheable ?? (await render()).res
    if (res.status === 200) markCacheState(c, res, 'MISS')
    return res
  }
  allowScriptHashes(c, page.scriptHashes)
  c.set('pageCacheState', state)
  // Through the context, so headers middleware set before the handler (request id…) apply.
  const cacheHeaders = { 'X-Cache': state, 'Cache-Control': cacheControl, 'CDN-Cache-Control': cdnCacheControl }
  const gzipped = page.gzipped && acceptsGzip(requestHeader(c, 'Accept-Encoding'))
  const etag = gzipped ? page.gzippedEtag : page.etag
  if (etag) {
    // Two lookups and nothing made on a hit that asks nothing; a page has no Last-Modified, so
    // If-Modified-Since and If-Unmodified-Since are ignored (RFC 9110 §13.1.3, §13.1.4).
    const ifMatch = requestHeader(c, 'If-Match')
    const ifNoneMatch = requestHeader(c, 'If-None-Match')
    if (ifMatch !== undefined || ifNoneMatch !== undefined) {
      const { answer } = evaluatePreconditions({ ifMatch, ifNoneMatch }, { etag })
      // No Cache-Control: a 412 is no copy of the page for a CDN to keep.
      if (answer === 'failed') return c.body(null, 412, { 'X-Cache': state })
      if (answer === 'notModified') return notModified(c, page, etag, cacheHeaders)
    }
  }
  const headers: Record<string, string> = { ...page.headers, ...cacheHeaders }
  if (etag) headers.ETag = etag
  if (gzipped) {
    headers['Content-Encoding'] = 'gzip'
    headers['Content-Length'] = String(page.gzipped!.byteLength)
    return c.body(page.gzipped as Uint8Array<ArrayBuffer>, page.status as 200, headers)
  }
  return c.body(page.body as Uint8Array<ArrayBuffer>, page.status as 200, headers)
}

/**
 * 304 Not Modified: what RFC 9110 §15.4.5 has a 304 keep of its 200 (its ETag, Cache-Control,
 * Vary), with X-Cache. Any Set-Cookie set before the handler still goes (through the context).
 */
function notModified(c: Context<AppEnv>, page: CachedPage, etag: string, cacheHeaders: Record<string, string>): Response {
  const vary = page.headers.Vary
  return c.body(null, 304, { ...cacheHeaders, ETag: etag, ...(vary ? { Vary: vary } : {}) })
}

const gzipAsync = promisify(gzip)

/** How the page cache answered: `X-Cache` for clients, the same on the context for the metrics. */
export function markCacheState(c: Context, res: Response, state: 'MISS' | 'BYPASS'): void {
  res.headers.set('X-Cache', state)
  c.set('pageCacheState', state)
}

type RuleTerms = { policy: CachePolicy; cacheControl: string; cdnCacheControl: string; query: ReadonlySet<string> }
const ruleTerms = new WeakMap<PageCacheRule<unknown>, RuleTerms>()

/** The query parameters a cached page reads: the only ones in its key and its loader's `query`. */
export function declaredQuery(rule: PageCacheRule<unknown>): ReadonlySet<string> {
  return termsOf(rule).query
}

/** A route's cache rule in the cache's terms and in a CDN's, worked out once. */
function termsOf(rule: PageCacheRule<unknown>): RuleTerms {
  let terms = ruleTerms.get(rule)
  if (!terms) {
    const stale = rule.staleWhileRevalidate ?? 0
    terms = {
      policy: { maxAgeMs: rule.maxAge * 1000, staleWhileRevalidateMs: stale * 1000 },
      // Shared caches (a CDN) may keep the page; browsers ask again, so revalidateTag reaches them at
      // once. Stale-while-revalidate for CDNs only (RFC 9213's CDN-Cache-Control): a browser would
      // show its stale copy first, and a visitor who has just signed in would see a signed-out header.
      cacheControl: `public, max-age=0, s-maxage=${rule.maxAge}`,
      cdnCacheControl: `max-age=${rule.maxAge}, stale-while-revalidate=${stale}`,
      query: new Set(rule.query),
    }
    ruleTerms.set(rule, terms)
  }
  return terms
}

/**
 * Stored as the bytes every hit sends. The render put this request's nonce on its inline
 * scripts; the stored copy drops it and allows those scripts by their hashes instead, so a hit
 * (or a CDN's copy) never needs a nonce of its own.
 */
async function toCachedPage(c: Context<AppEnv>, html: string, from: Headers, tags: string[], longTail: boolean): Promise<CachedPage> {
  const headers: Record<string, string> = {}
  const type = from.get('Content-Type')
  if (type) headers['Content-Type'] = type
  const vary = from.get('Vary')
  const nonce = c.get('cspNonce')
  const attribute = nonce ? ` nonce="${nonce}"` : undefined
  const scriptHashes = attribute ? scriptHashSources(inlineScripts(html, attribute)) : ''
  const body = Buffer.from(attribute ? html.replaceAll(attribute, '') : html)
  headers['Content-Length'] = String(body.byteLength)
  // Gzipped here, once, rather than by compressResponses at every hit; off the event loop (a
  // sitemap part of 4 MB takes ~45 ms).
  const gzipped = body.byteLength >= COMPRESS_THRESHOLD_BYTES ? await gzipAsync(body) : undefined
  // Each name once (see withVary: a background refresh renders with the stale answer's headers);
  // with a gzipped copy, every variant names Accept-Encoding, the plain one too (RFC 9110). Worked
  // out here, once, not at every hit.
  const varies = gzipped ? withVary(vary, 'Accept-Encoding') : withVary(vary)
  if (varies) headers.Vary = varies
  // Strong tags (the same bytes for every hit): each variant's own, since their bytes differ.
  const etag = `"${hash('sha1', body, 'base64url')}"`
  const etags = { etag, ...(gzipped ? { gzipped, gzippedEtag: `${etag.slice(0, -1)}-gzip"` } : {}) }
  return { body, ...etags, scriptHashes, status: 200, headers, tags, path: c.req.path, ...(longTail ? { longTail } : {}) }
}

/**
 * The text of every inline script whose opening tag carries `attribute` (this render's nonce),
 * whatever else it carries: React's streamed boot script is `<script nonce="…" id="_R_">`.
 */
function inlineScripts(html: string, attribute: string): string[] {
  const scripts: string[] = []
  for (const open of html.matchAll(/<script\b([^>]*)>/g)) {
    if (!open[1]!.includes(attribute)) continue
    const start = open.index + open[0].length
    const end = html.indexOf('</script>', start)
    if (end === -1) break
    scripts.push(html.slice(start, end))
  }
  return scripts
}
