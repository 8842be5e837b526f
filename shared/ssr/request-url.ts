import type { Context } from 'hono'

/**
 * The request's path and query, e.g. `/products?page=2`: how pages name themselves. Cut from
 * `c.req.url`, which is already absolute and normalised (by the Node adapter, or the Request), so
 * parsing it again with `new URL()` would only cost time.
 */
export function pathAndQuery(c: Context): string {
  const url = c.req.url
  const path = url.indexOf('/', url.indexOf('//') + 2)
  if (path === -1) return '/'
  const fragment = url.indexOf('#', path)
  return fragment === -1 ? url.slice(path) : url.slice(path, fragment)
}

/** The request's query parameters (from the same URL, without parsing all of it). */
export function queryOf(c: Context): URLSearchParams {
  const url = c.req.url
  const query = url.indexOf('?')
  if (query === -1) return new URLSearchParams()
  const fragment = url.indexOf('#', query)
  return new URLSearchParams(fragment === -1 ? url.slice(query + 1) : url.slice(query + 1, fragment))
}

/** The target of a redirect thrown by `redirect()`, or undefined for any other error. */
export function redirectTarget(err: unknown): string | undefined {
  if (!(err instanceof Error) || !('getResponse' in err) || typeof err.getResponse !== 'function') return undefined
  const res = err.getResponse() as Response
  return res.status >= 300 && res.status < 400 ? (res.headers.get('Location') ?? undefined) : undefined
}
