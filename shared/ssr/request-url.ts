import type { Context } from 'hono'

/**
 * The request's path and query, e.g. `/products?page=2`: how pages name themselves. Cut from
 * `c.req.url`, which is already absolute and normalised (by the Node adapter, or the Request), so
 * parsing it again with `new URL()` would only cost time. Read as `new URL()` reads it: a fragment
 * starts at the first `#` (a raw client may send one), and an empty query is no query.
 */
export function pathAndQuery(c: Context, keep?: ReadonlySet<string>): string {
  const { path, query } = splitUrl(c.req.url)
  const kept = keep && query ? keptQuery(query, keep) : query
  return kept ? `${path}?${kept}` : path
}

/** The request's query parameters, read the same way (see `pathAndQuery`); with `keep`, only those. */
export function queryOf(c: Context, keep?: ReadonlySet<string>): URLSearchParams {
  const { query } = splitUrl(c.req.url)
  return new URLSearchParams(keep && query ? keptQuery(query, keep) : query)
}

/**
 * The parameters of a raw query string whose names are in `keep`, sorted by name (a name's values
 * stay in their order), as sent: `b=2&utm=x&a=1` keeps `a=1&b=2`. A cached page's key and what
 * its loader sees, so the two always agree. A bare flag (`preview`) reads as `preview=`, as
 * URLSearchParams reads it.
 */
export function keptQuery(query: string, keep: ReadonlySet<string>): string {
  if (keep.size === 0) return ''
  const kept: { name: string; part: string }[] = []
  for (const part of query.split('&')) {
    const equals = part.indexOf('=')
    const raw = equals === -1 ? part : part.slice(0, equals)
    // An encoded name (`%71=…`, `a+b=…`) is decoded exactly as the loader's URLSearchParams will.
    const name = raw.includes('%') || raw.includes('+') ? (new URLSearchParams(part).keys().next().value ?? '') : raw
    if (keep.has(name)) kept.push({ name, part: equals === -1 ? `${part}=` : part })
  }
  if (kept.length > 1) kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return kept.map(({ part }) => part).join('&')
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
