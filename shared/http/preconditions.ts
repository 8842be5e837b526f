/** A file's validators (RFC 9110 §8.8): a strong entity tag (`"…"`), and its `Last-Modified` when it has one. */
export interface Validators {
  etag: string
  lastModified?: string
}

/** The conditional headers of a GET or HEAD, as sent (any of them may be missing). */
export interface Conditions {
  ifMatch?: string
  ifUnmodifiedSince?: string
  ifNoneMatch?: string
  ifModifiedSince?: string
  range?: string
  ifRange?: string
}

/**
 * What RFC 9110 §13.2.2 makes of a GET's or HEAD's conditions, in its order: `failed` (412),
 * `notModified` (304, naming the tag the client holds), `whole` (a Range whose If-Range names
 * another version of the file: the whole file, 200), or `serve` (as asked, Range included).
 * @example evaluatePreconditions({ ifNoneMatch: '"a"' }, { etag: '"a"' }) // { answer: 'notModified', etag: '"a"' }
 */
export function evaluatePreconditions(
  conditions: Conditions,
  { etag, lastModified }: Validators,
): { answer: 'failed' | 'serve' | 'whole' } | { answer: 'notModified'; etag: string } {
  const modified = lastModified === undefined ? undefined : dateOf(lastModified)
  if (conditions.ifMatch !== undefined) {
    if (conditions.ifMatch.trim() !== '*' && !tagsOf(conditions.ifMatch).includes(etag)) return { answer: 'failed' }
  } else if (conditions.ifUnmodifiedSince !== undefined) {
    const since = dateOf(conditions.ifUnmodifiedSince)
    if (since !== undefined && modified !== undefined && modified > since) return { answer: 'failed' }
  }
  if (conditions.ifNoneMatch !== undefined) {
    const held = conditions.ifNoneMatch.trim() === '*' ? etag : tagsOf(conditions.ifNoneMatch).find((tag) => strip(tag) === strip(etag))
    // The tag as the client holds it: weak when its copy was gzipped (compressResponses weakens it).
    if (held !== undefined) return { answer: 'notModified', etag: held }
  } else if (conditions.ifModifiedSince !== undefined) {
    const since = dateOf(conditions.ifModifiedSince)
    if (since !== undefined && modified !== undefined && modified <= since) return { answer: 'notModified', etag }
  }
  if (conditions.range !== undefined && conditions.ifRange !== undefined && !ifRangeHolds(conditions.ifRange.trim(), etag, lastModified)) {
    return { answer: 'whole' }
  }
  return { answer: 'serve' }
}

/**
 * §13.1.5: an entity tag matches only strongly (a weak one never does); a date only when it is
 * exactly the file's Last-Modified.
 */
function ifRangeHolds(ifRange: string, etag: string, lastModified: string | undefined): boolean {
  if (ifRange.startsWith('"') || ifRange.startsWith('W/')) return ifRange === etag
  const date = dateOf(ifRange)
  return date !== undefined && lastModified !== undefined && date === dateOf(lastModified)
}

function tagsOf(list: string): string[] {
  return list.match(/(?:W\/)?"[^"]*"/g) ?? []
}

const strip = (tag: string) => tag.replace(/^W\//, '')

/** An HTTP-date in ms, or undefined for one that is not a date (ignored, as §13.1.3 says). */
function dateOf(text: string): number | undefined {
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? undefined : ms
}
