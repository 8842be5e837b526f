import type { Context } from 'hono'
import { TrieRouter } from 'hono/router/trie-router'
import { isApiPath } from './errors.ts'
import { isRedirectablePath } from './signals.ts'

/**
 * Where a page address typed in the wrong case belongs: `/Products` and `/PRODUCTS/mug` are 301s
 * to `/products` and `/products/mug` (its query kept as sent), where they were 404s. Every page
 * path here is lowercase, product slugs too, so the lowercase spelling is the page's. Asked only
 * when no route matched (in `notFound`), so a route that does take a capital (a token in a path)
 * answers as it did; and only for a path that, lowercased, is a page's: an API, an asset, the
 * fallback app's addresses are left as they came. `%2F`-style escapes are kept as written.
 * @example app.notFound((c) => { const to = lowercased(c); if (to) return c.redirect(to, 301) … })
 */
export function lowercasePagePaths(pagePaths: readonly string[]): (c: Context) => string | undefined {
  const router = new TrieRouter<true>()
  for (const path of pagePaths) router.add('GET', path, true)
  return (c) => {
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || isApiPath(c.req.path)) return undefined
    const url = c.req.url
    const pathStart = url.indexOf('/', url.indexOf('//') + 2)
    const queryStart = url.indexOf('?', pathStart)
    const path = queryStart === -1 ? url.slice(pathStart) : url.slice(pathStart, queryStart)
    if (!/[A-Z]/.test(path.replace(/%[0-9A-Fa-f]{2}/g, ''))) return undefined
    const lower = path.replace(/%[0-9A-Fa-f]{2}|[A-Z]+/g, (part) => (part.startsWith('%') ? part : part.toLowerCase()))
    if (router.match('GET', lower)[0].length === 0) return undefined
    const target = lower + (queryStart === -1 ? '' : url.slice(queryStart))
    return isRedirectablePath(target) ? target : undefined
  }
}
