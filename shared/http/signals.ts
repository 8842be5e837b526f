import type { PositionRefused } from '#shared/db'
import { HTTPException } from 'hono/http-exception'
import { DATA_HEADER } from '#shared/ui'
import { HttpError } from './errors.ts'

/**
 * The longest `Location` the app sends, percent-encoded. Proxies keep a response's headers in a
 * small buffer (nginx: 4 KiB by default, for all of them) and answer 502 past it; the rest of a
 * redirect's headers take ~1 KiB (1,017 bytes measured: a sign-in's 303 with its session cookie).
 * 2,048 is also the longest URL some clients and crawlers take. See decision 010.
 */
export const MAX_LOCATION_LENGTH = 2048

/**
 * Stops a loader or handler and redirects. Same-site paths only: an absolute or protocol-relative
 * target (`https://…`, `//…`) would be an open redirect, so it is refused (400), as is a target
 * longer than `MAX_LOCATION_LENGTH` once encoded. Any text may be in it (`?q=日本`): see `locationOf`.
 * A page that has moved for good says 301 (search engines then move its rank to the new address),
 * with a `maxAge` in seconds when the same redirect holds for everyone.
 * @example if (!user) redirect(`/login?next=${encodeURIComponent(path)}`)
 */
export function redirect(to: string, status: 301 | 302 | 303 | 307 | 308 = 302, { maxAge }: { maxAge?: number } = {}): never {
  const headers: Record<string, string> = { Location: locationOf(to) }
  // The same for everyone, for a while: a browser or a CDN may keep it so long, and no longer (a
  // permanent redirect with no lifetime is kept for good, even after the address changes again).
  // The address answers navigation data otherwise (the data line names the target).
  if (maxAge !== undefined) Object.assign(headers, { 'Cache-Control': `public, max-age=${maxAge}`, Vary: DATA_HEADER })
  throw new HTTPException(status, { res: new Response(null, { status, headers }) })
}

/** The target of a redirect thrown by `redirect()`, or undefined for any other error. */
export function redirectTarget(err: unknown): string | undefined {
  if (!(err instanceof Error) || !('getResponse' in err) || typeof err.getResponse !== 'function') return undefined
  const res = err.getResponse() as Response
  return res.status >= 300 && res.status < 400 ? (res.headers.get('Location') ?? undefined) : undefined
}

/**
 * The `Location` header of a redirect to a same-site path: every `Location` the app sends is
 * made here. Header values are bytes, so anything outside URL-safe ASCII is percent-encoded as
 * UTF-8 (as a browser does before sending a URL); `%XX` escapes already there stay as they are,
 * and nothing else changes (no dot segments resolved, which could turn `/.//x` into `//x`).
 * Throws 400 `bad_redirect` for an off-site or over-long target.
 */
export function locationOf(to: string): string {
  if (!isSameSitePath(to)) throw new HttpError(400, 'bad_redirect', 'That address leads off this site.')
  const location = encodeLocation(to)
  if (location.length > MAX_LOCATION_LENGTH) throw new HttpError(400, 'bad_redirect', 'That address is too long.')
  return location
}

/** True for a same-site path that fits in a `Location` (see `locationOf`): what `?next=` may be. */
export function isRedirectablePath(to: string): boolean {
  return isSameSitePath(to) && encodeLocation(to).length <= MAX_LOCATION_LENGTH
}

/** RFC 3986's unreserved and reserved characters and valid `%XX` escapes pass; the rest is encoded. */
const NOT_IN_URI = /[^\w\-.~:/?#[\]@!$&'()*+,;=%]|%(?![0-9A-Fa-f]{2})/gu

function encodeLocation(to: string): string {
  return to.replace(NOT_IN_URI, (char) => {
    try {
      return encodeURIComponent(char)
    } catch {
      return '%EF%BF%BD' // a lone surrogate: U+FFFD, as a browser's UTF-8 encoder writes it
    }
  })
}

/**
 * True for a path on this site. Browsers drop tabs and newlines from URLs and read `\` as `/`,
 * so `/\t/evil.example` would become `//evil.example`: such characters are refused outright.
 */
export function isSameSitePath(to: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (!to.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(to)) return false
  return new URL(to, 'http://same.invalid').origin === 'http://same.invalid'
}

/** Stops a loader or handler with a 404: a page answers the not-found page, an API its JSON. */
export function notFound(message = 'Nothing is here.'): never {
  throw new HttpError(404, 'not_found', message)
}

/**
 * A listing's page past its end (`?page=9` of 5, a position after its last row) is a 404 rather
 * than an empty page saying there is nothing (an old link, a guess): no rows, and not its first or last page.
 */
export function notFoundPastTheEnd(items: readonly unknown[], position: { page?: number | 'last'; after?: string; before?: string }): void {
  const beyond = (typeof position.page === 'number' && position.page > 1) || Boolean(position.after ?? position.before)
  if (items.length === 0 && beyond) notFound('There is no such page: the list is shorter than that.')
}

/** A listing operation's 400, as its contract declares it (`refusePosition` and the query's schema). */
export const LISTING_BAD_QUERY =
  'The input is not valid (`invalid_input`), or the position is not one this listing can take (`invalid_query`, naming `after`, `before` or `page`)'

/**
 * Answers a listing position that `findPosition` (shared/db/keyset.ts) refused: 400 naming the
 * parameter, and what to follow instead.
 */
export function refusePosition(refusal: PositionRefused): never {
  if (refusal.refused === 'page' && 'besides' in refusal) {
    throw new HttpError(400, 'invalid_query', `A page number and a position (${refusal.besides}=) name two pages: follow the pagination’s links.`, [
      { path: ['page'], message: `Not with ${refusal.besides}` },
    ])
  }
  if (refusal.refused === 'page') {
    throw new HttpError(400, 'invalid_query', `Page numbers go up to ${refusal.maxNumbered}: follow the pagination’s links (after=, before=, page=last).`, [
      { path: ['page'], message: `Up to ${refusal.maxNumbered}` },
    ])
  }
  throw new HttpError(400, 'invalid_query', 'Not a page position: follow the pagination’s links.', [
    { path: [refusal.refused], message: 'Not a page position' },
  ])
}
