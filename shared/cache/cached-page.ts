/** A rendered response, as stored. Treat it as immutable: every hit returns the same object. */
export interface CachedPage {
  /** The body as UTF-8: the same bytes for every hit. */
  body: Uint8Array
  /** The body gzipped once, for the clients that take gzip (every browser): a hit then compresses nothing. */
  gzipped?: Uint8Array
  /**
   * Strong validators of `body` and of `gzipped` (other bytes, so another tag), worked out once
   * as the page is stored: a hit answers a matching If-None-Match with 304.
   */
  etag?: string
  gzippedEtag?: string
  /** CSP sources allowing the page's inline scripts by hash (a per-request nonce cannot be cached). */
  scriptHashes: string
  status: number
  headers: Record<string, string>
  /** What the page was built from, e.g. `['products', 'product:12']`; see `invalidateTag`. */
  tags: string[]
  /** The URL pathname it was rendered for, without the query; see `invalidatePath`. */
  path: string
  /**
   * One of endless addresses (a search, a listing from any cursor, a spelling other than its
   * canonical one): kept within the cache's tail share, so a visitor cycling through them
   * cannot push the other pages out.
   */
  longTail?: boolean
}

/** Fresh for `maxAgeMs`; then served stale, while one render refreshes it, for `staleWhileRevalidateMs`. */
export interface CachePolicy {
  maxAgeMs: number
  staleWhileRevalidateMs: number
}

export type CacheState = 'HIT' | 'STALE' | 'MISS'

export interface ResolvedPage {
  page: CachedPage | null
  state: CacheState
}

/** Renders the page, or answers null for "do not cache this" (e.g. an error status). */
export type RenderPage = () => Promise<CachedPage | null>
