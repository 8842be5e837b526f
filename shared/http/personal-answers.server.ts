import type { Context, MiddlewareHandler } from 'hono'
import { parse } from 'hono/utils/cookie'
import { requestHeader } from './node-http.server.ts'

/**
 * True when the request carries none of the personal cookies (the session's, and those domains
 * declare, like a visitor's cart: `layoutSources`): only such visitors share cached pages. A name
 * ending in `*` stands for every cookie whose name starts with the rest (`tessera_cart_*`). A
 * request without cookies, most of a cache's hits, answers at the first test.
 */
export function isAnonymous(c: Context, personalCookies: readonly string[]): boolean {
  const cookies = requestHeader(c, 'cookie')
  if (cookies === undefined) return true
  // parse() with a name returns at once when the header does not mention it; so does a prefix's includes().
  return personalCookies.every((name) => (name.endsWith('*') ? !hasCookieStartingWith(cookies, name.slice(0, -1)) : parse(cookies, name)[name] === undefined))
}

const hasCookieStartingWith = (cookies: string, prefix: string) =>
  cookies.includes(prefix) && Object.keys(parse(cookies)).some((name) => name.startsWith(prefix))

/**
 * Marks every answer to a request with a personal cookie, that read a cookie (`readCookie`: an
 * anonymous visitor's empty cart too), or that sets one, `Cache-Control: private, no-store`
 * unless its route said otherwise: a cart, an order or `/api/auth/me` must stay out of shared
 * caches (a CDN may store an answer that says nothing) and out of the browser's history after a
 * log-out. Headers only, after the handler: a streamed page still streams.
 */
export function privateAnswers(personalCookies: readonly string[]): MiddlewareHandler {
  return async function privateAnswers(c, next) {
    await next()
    const personal = !isAnonymous(c, personalCookies) || c.get('readCookies') === true
    // An anonymous GET that read no cookie sets none either; and reading an answer's headers makes
    // the Node adapter build a whole Response, off its fast path (a page-cache hit cost 6-15 % more CPU).
    if (!personal && (c.req.method === 'GET' || c.req.method === 'HEAD')) return
    const headers = c.res.headers
    if (!headers.has('Cache-Control') && (personal || headers.has('Set-Cookie'))) headers.set('Cache-Control', 'private, no-store')
  }
}
