/** A representation's validators (RFC 9110 §8.8): a strong entity tag (`"…"`), and its `Last-Modified` when it has one. */
export interface Validators {
  etag: string
  lastModified?: string
}

/** The conditional headers of a GET or HEAD, as sent (any of them may be missing). */
export interface Conditions {
  ifMatch?: string | undefined
  ifUnmodifiedSince?: string | undefined
  ifNoneMatch?: string | undefined
  ifModifiedSince?: string | undefined
  range?: string | undefined
  ifRange?: string | undefined
}

export type PreconditionOutcome = { answer: 'failed' | 'serve' | 'whole' } | { answer: 'notModified'; etag: string }

/**
 * The one reading of RFC 9110 §13 in the app (static files, cached pages, API answers): what
 * §13.2.2 makes of a GET's or HEAD's conditions, in its order: `failed` (412), `notModified`
 * (304, naming the tag the client holds), `whole` (a Range whose If-Range names another version:
 * the whole representation, 200), or `serve` (as asked, Range included).
 * @example evaluatePreconditions({ ifNoneMatch: '"a"' }, { etag: '"a"' }) // { answer: 'notModified', etag: '"a"' }
 */
export function evaluatePreconditions(conditions: Conditions, { etag, lastModified }: Validators): PreconditionOutcome {
  if (conditions.ifMatch !== undefined) {
    if (!ifMatchNames(conditions.ifMatch, etag)) return FAILED
  } else if (conditions.ifUnmodifiedSince !== undefined && lastModified !== undefined) {
    const since = httpDate(conditions.ifUnmodifiedSince)
    if (since !== undefined && httpDate(lastModified)! > since) return FAILED
  }
  if (conditions.ifNoneMatch !== undefined) {
    const held = conditions.ifNoneMatch.trim() === '*' ? etag : tagsOf(conditions.ifNoneMatch).find((tag) => opaque(tag) === opaque(etag))
    // The tag as the client holds it: weak when its copy was gzipped (compressResponses weakens it).
    if (held !== undefined) return { answer: 'notModified', etag: held }
  } else if (conditions.ifModifiedSince !== undefined && lastModified !== undefined) {
    const since = httpDate(conditions.ifModifiedSince)
    if (since !== undefined && httpDate(lastModified)! <= since) return { answer: 'notModified', etag }
  }
  if (conditions.range !== undefined && conditions.ifRange !== undefined && !ifRangeHolds(conditions.ifRange.trim(), etag, lastModified)) return WHOLE
  return SERVE
}

// One object each, not one per request.
const FAILED = { answer: 'failed' } as const
const WHOLE = { answer: 'whole' } as const
const SERVE = { answer: 'serve' } as const

/** Whether If-Match holds (§13.1.1): `*`, or a listed tag equal to this strong one (a weak tag never matches). */
export function ifMatchNames(ifMatch: string, etag: string): boolean {
  if (ifMatch.trim() === '*') return true
  return !etag.startsWith('W/') && tagsOf(ifMatch).includes(etag)
}

/** Whether If-None-Match names this tag (§13.1.2: compared weakly), or is `*`. */
export function ifNoneMatchNames(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true
  const wanted = opaque(etag)
  return tagsOf(ifNoneMatch).some((tag) => opaque(tag) === wanted)
}

/**
 * §13.1.5: an entity tag matches only strongly (a weak one never does); a date only when it is
 * exactly the file's Last-Modified.
 */
function ifRangeHolds(ifRange: string, etag: string, lastModified: string | undefined): boolean {
  if (ifRange.startsWith('"') || ifRange.startsWith('W/')) return ifRange === etag && !etag.startsWith('W/')
  const date = httpDate(ifRange)
  return date !== undefined && lastModified !== undefined && date === httpDate(lastModified)
}

function tagsOf(list: string): string[] {
  return list.match(/(?:W\/)?"[^"]*"/g) ?? []
}

const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag)

/**
 * An HTTP-date (§5.6.7: IMF-fixdate, or the obsolete RFC 850 and asctime forms) in ms; undefined
 * for anything else, which §13.1.3 and §13.1.4 say to ignore. Date.parse alone takes `1` or
 * `2026` as dates: `If-Unmodified-Since: 1` was a 412.
 */
export function httpDate(text: string): number | undefined {
  const trimmed = text.trim()
  if (!HTTP_DATE.test(trimmed)) return undefined
  const ms = Date.parse(trimmed)
  return Number.isNaN(ms) ? undefined : ms
}

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)'
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)'
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)'
const TIME = '\\d{2}:\\d{2}:\\d{2}'
const HTTP_DATE = new RegExp(
  `^(?:${DAY}, \\d{2} ${MONTH} \\d{4} ${TIME} GMT|${LONG_DAY}, \\d{2}-${MONTH}-\\d{2} ${TIME} GMT|${DAY} ${MONTH} [ \\d]\\d ${TIME} \\d{4})$`,
)
