import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import type { CachedPage, PageCache } from '#shared/cache'
import type { PageCacheRule } from '#shared/domain'
import { cspNonce, SESSION_COOKIE, type AppEnv } from '#shared/http'
import { DATA_HEADER } from '#shared/ui'
import { pathAndQuery } from './request-url.ts'

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
    const text = await res.text()
    if (!c.get('renderDegraded')) return toCachedPage(c, text, res.headers, tags)
    uncacheable = new Response(text, res)
    return null
  })
  // A render shared with another request that could not be cached: this one renders its own.
  if (!page) {
    const res = uncacheable ?? (await render()).res
    if (res.status === 200) res.headers.set('X-Cache', 'MISS')
    return res
  }
  const body = withNonce(page.body, cspNonce(c))
  // Through the context, so headers middleware set before the handler (request id…) apply.
  return c.body(body, page.status as 200, {
    ...page.headers,
    'Content-Length': String(body.byteLength),
    'X-Cache': state,
    // Shared caches (a CDN) may keep it; browsers ask again, so revalidateTag reaches them at once.
    'Cache-Control': `public, max-age=0, s-maxage=${rule.maxAge}, stale-while-revalidate=${rule.staleWhileRevalidate ?? 0}`,
  })
}

/**
 * Stored as UTF-8 bytes cut at each nonce the render used: a hit joins bytes around its own
 * nonce instead of encoding the whole page again.
 */
function toCachedPage(c: Context<AppEnv>, html: string, from: Headers, tags: string[]): CachedPage {
  const headers: Record<string, string> = {}
  for (const name of ['Content-Type', 'Vary']) {
    const value = from.get(name)
    if (value) headers[name] = value
  }
  const nonce = c.get('cspNonce')
  const body = (nonce ? html.split(`nonce="${nonce}"`) : [html]).map((part) => Buffer.from(part))
  return { body, status: 200, headers, tags, path: c.req.path }
}

/** The stored parts joined by `nonce="…"` attributes carrying this response's nonce. */
function withNonce(parts: readonly Buffer[], nonce: string): Uint8Array<ArrayBuffer> {
  const attribute = Buffer.from(`nonce="${nonce}"`)
  const body = parts.length === 1 ? parts[0]! : Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [attribute, part])))
  return body as Uint8Array<ArrayBuffer> // Node's buffers are never shared memory
}
