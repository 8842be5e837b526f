/**
 * A redirect's Location as the browser must see it: one into the upstream's own base path (`/v1/x`,
 * `http://reviews.internal:4000/v1/x`) becomes the same place under the store's `prefix`
 * (`/api/reviews/x`), as a reverse proxy rewrites it; one elsewhere (another site) is left as it is.
 * @example locationHere('/v1/x', new URL('http://reviews.internal:4000/v1'), '/api/reviews', '/y') // '/api/reviews/x'
 */
export function locationHere(location: string, base: URL, prefix: string, requestPath: string): string {
  const basePath = base.pathname.replace(/\/$/, '')
  let target: URL
  try {
    target = new URL(location, new URL(basePath + requestPath, base))
  } catch {
    return location
  }
  if (target.origin !== base.origin || !(target.pathname === basePath || target.pathname.startsWith(`${basePath}/`))) return location
  // A path beginning `//` (the fallback's, which has no prefix) would read as another host's address.
  const here = `${prefix}${target.pathname.slice(basePath.length) || '/'}`.replace(/^\/{2,}/, '/')
  return `${here}${target.search}${target.hash}`
}
