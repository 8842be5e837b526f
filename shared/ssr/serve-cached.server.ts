import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import type { CachedPage, PageCache } from '#shared/cache'
import type { PageCacheRule } from '#shared/domain'
import { SESSION_COOKIE, type AppEnv } from '#shared/http'
import { DATA_HEADER } from '#shared/ui'
import { pathAndQuery } from './request-url.ts'

/** Stands for the CSP nonce in a cached page: each response gets its own request's nonce. */
const NONCE_SLOT = '\u0000nonce\u0000'

/** A fresh render of the page, the cache tags its data gave, and whether it may be stored. */
export type FreshRender = () => Promise<{ res: Response; tags: string[]; cacheable?: boolean }>

/** True when the request carries no session: only such visitors share cached pages. */
export function isAnonymous(c: Context<AppEnv>): boolean {
  return getCookie(c, SESSION_COOKIE) === undefined
}

/**
 * Serves a page from the page cache (HTML and navigation data are cached apart). A MISS renders
 * and stores a whole 200 answer; anything else (a redirect, a 404) is passed through uncached.
 * `X-Cache` tells HIT, STALE or MISS; `Cache-Control` lets a CDN in front do the same.
 */
export async function serveCached(c: Context<AppEnv>, cache: PageCache, rule: PageCacheRule<unknown>, render: FreshRender): Promise<Response> {
  const key = `${c.req.header(DATA_HEADER) === '1' ? 'data' : 'html'} ${pathAndQuery(c)}`
  const policy = { maxAgeMs: rule.maxAge * 1000, staleWhileRevalidateMs: (rule.staleWhileRevalidate ?? 0) * 1000 }
  let uncacheable: Response | undefined
  const { page, state } = await cache.resolve(key, policy, async () => {
    const { res, tags, cacheable = true } = await render()
    // Only a whole, healthy, impersonal 200: not a redirect line, nor a page with a failed part,
    // nor one that sets a cookie (a CDN would hand it to everyone).
    if (res.status !== 200 || !cacheable || res.headers.has('Set-Cookie')) {
      uncacheable = res
      return null
    }
    const page = await toCachedPage(c, res, tags)
    if (!c.get('renderDegraded')) return page
    uncacheable = new Response(page.body.replaceAll(NONCE_SLOT, nonceOf(c)), res)
    return null
  })
  // A render shared with another request that could not be cached: this one renders its own.
  if (!page) {
    const res = uncacheable ?? (await render()).res
    if (res.status === 200) res.headers.set('X-Cache', 'MISS')
    return res
  }
  const body = page.body.replaceAll(NONCE_SLOT, nonceOf(c))
  // Through the context, so headers middleware set before the handler (request id…) apply.
  return c.body(body, page.status as 200, {
    ...page.headers,
    'Content-Length': String(Buffer.byteLength(body)),
    'X-Cache': state,
    // Shared caches (a CDN) may keep it; browsers ask again, so revalidateTag reaches them at once.
    'Cache-Control': `public, max-age=0, s-maxage=${rule.maxAge}, stale-while-revalidate=${rule.staleWhileRevalidate ?? 0}`,
  })
}

const nonceOf = (c: Context<AppEnv>) => (c.get('secureHeadersNonce') as string | undefined) ?? ''

async function toCachedPage(c: Context<AppEnv>, res: Response, tags: string[]): Promise<CachedPage> {
  const nonce = c.get('secureHeadersNonce') as string | undefined
  const text = await res.text()
  const headers: Record<string, string> = {}
  for (const name of ['Content-Type', 'Vary']) {
    const value = res.headers.get(name)
    if (value) headers[name] = value
  }
  return { body: nonce ? text.replaceAll(`nonce="${nonce}"`, `nonce="${NONCE_SLOT}"`) : text, status: 200, headers, tags, path: c.req.path }
}
