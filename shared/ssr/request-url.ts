import type { Context } from 'hono'

/**
 * The request's path and query, e.g. `/products?page=2`: how pages name themselves. Cut from
 * `c.req.url`, which is already absolute and normalised (by the Node adapter, or the Request), so
 * parsing it again with `new URL()` would only cost time. Read as `new URL()` reads it: a fragment
 * starts at the first `#` (a raw client may send one), and an empty query is no query.
 */
export function pathAndQuery(c: Context): string {
  const { path, query } = splitUrl(c.req.url)
  return query ? `${path}?${query}` : path
}

/** The request's query parameters, read the same way (see `pathAndQuery`). */
export function queryOf(c: Context): URLSearchParams {
  return new URLSearchParams(splitUrl(c.req.url).query)
}

function splitUrl(url: string): { path: string; query: string } {
  const fragment = url.indexOf('#')
  const end = fragment === -1 ? url.length : fragment
  const pathStart = url.indexOf('/', url.indexOf('//') + 2)
  if (pathStart === -1 || pathStart >= end) return { path: '/', query: '' }
  const queryStart = url.indexOf('?', pathStart)
  if (queryStart === -1 || queryStart >= end) return { path: url.slice(pathStart, end), query: '' }
  return { path: url.slice(pathStart, queryStart), query: url.slice(queryStart + 1, end) }
}

/** The target of a redirect thrown by `redirect()`, or undefined for any other error. */
export function redirectTarget(err: unknown): string | undefined {
  if (!(err instanceof Error) || !('getResponse' in err) || typeof err.getResponse !== 'function') return undefined
  const res = err.getResponse() as Response
  return res.status >= 300 && res.status < 400 ? (res.headers.get('Location') ?? undefined) : undefined
}
