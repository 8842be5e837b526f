import type { Context } from 'hono'

/** The request's path and query, e.g. `/products?page=2`: how pages name themselves. */
export function pathAndQuery(c: Context): string {
  const url = new URL(c.req.url)
  return url.pathname + url.search
}

/** The target of a redirect thrown by `redirect()`, or undefined for any other error. */
export function redirectTarget(err: unknown): string | undefined {
  if (!(err instanceof Error) || !('getResponse' in err) || typeof err.getResponse !== 'function') return undefined
  const res = err.getResponse() as Response
  return res.status >= 300 && res.status < 400 ? (res.headers.get('Location') ?? undefined) : undefined
}
