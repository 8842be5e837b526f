import type { Context } from 'hono'

/**
 * The request's path after `prefix` as the client sent it, percent-encoded, or undefined when it
 * is not under `prefix`. Not `c.req.path`: decoded, `%5c..%5c` reads as `\..\`, which `new URL`
 * takes for `/../` and climbs out of the upstream's base path. The request URL has had its dot
 * segments (`..`, `%2e%2e`) resolved already.
 */
export function requestPathUnder(c: Context, prefix: string): string | undefined {
  const { pathname } = new URL(c.req.url)
  if (pathname === prefix) return '/'
  return pathname.startsWith(`${prefix}/`) ? pathname.slice(prefix.length) : undefined
}
