import type { MiddlewareHandler } from 'hono'
import { isApiPath } from './errors.ts'
import { isRedirectablePath } from './signals.ts'

/** A letter, digit, `-` or `_` written as an escape (`%70` for `p`): RFC 3986 says to decode them. */
const NEEDLESS_ESCAPE = /%(?:[46][1-9A-Fa-f]|[57][0-9Aa]|3[0-9]|2[Dd]|5[Ff])/

/**
 * A page's path in one spelling: `/%70roducts`, `/products/` and `/products/mug%2Dlarge` answer
 * 301 to `/products` and `/products/mug-large`. Spelt otherwise, the same page was one more page-cache
 * entry per spelling (anyone could write as many as they liked) and named that spelling as its
 * canonical address. Only letters, digits, `-` and `_` are decoded: a `.` or a `/` may mean a
 * path segment. GET and HEAD of pages only (an API client is not redirected); the query is kept
 * as sent.
 */
export function normalisePaths(): MiddlewareHandler {
  return async function normalisePaths(c, next) {
    const url = c.req.url
    const pathStart = url.indexOf('/', url.indexOf('//') + 2)
    const queryStart = url.indexOf('?', pathStart)
    const path = queryStart === -1 ? url.slice(pathStart) : url.slice(pathStart, queryStart)
    const trailingSlash = path.length > 1 && path.endsWith('/')
    if ((!trailingSlash && !NEEDLESS_ESCAPE.test(path)) || (c.req.method !== 'GET' && c.req.method !== 'HEAD') || isApiPath(c.req.path)) return next()
    const decoded = path
      .replace(/%([0-9A-Fa-f]{2})/g, (escaped, hex: string) => {
        const char = String.fromCharCode(Number.parseInt(hex, 16))
        return /^[A-Za-z0-9_-]$/.test(char) ? char : escaped
      })
      .replace(/(?<=.)\/+$/, '') // `/products/` is `/products`
    const target = decoded + (queryStart === -1 ? '' : url.slice(queryStart))
    // Only to a path of this site (isRedirectablePath): `//%65vil.example` decodes to another
    // site's address, which a Location would send the browser to. Such a path is left as it came.
    return isRedirectablePath(target) ? c.redirect(target, 301) : next()
  }
}
