import { Buffer } from 'node:buffer'
import type { CachedPage, CachePolicy, RenderPage, ResolvedPage } from './cached-page.ts'

export interface PageCacheOptions {
  maxBytes: number
  /** The part of `maxBytes` long-tail pages (`CachedPage.longTail`) may hold together; a quarter by default. */
  tailShare?: number
  now?: () => number
  /** Where a failed background regeneration goes; no request sees it. */
  onError?: (error: unknown, key: string) => void
}

interface Entry {
  page: CachedPage
  storedAt: number
  bytes: number
  /** The start order of the render that produced it: an older render never overwrites it. */
  order: number
  longTail: boolean
}

interface Invalidation {
  kind: 'tag' | 'path'
  value: string
}

/** One render in progress and the invalidations it has lived through. */
interface Ticket {
  order: number
  missed: Invalidation[] | 'too-many'
}

/** Maps, arrays and the key cost memory too; a rough figure is enough to keep the bound honest. */
const ENTRY_OVERHEAD_BYTES = 256
/** A render that hangs while the app keeps invalidating must not grow without end. */
const MAX_MISSED_INVALIDATIONS = 64
/**
 * What long-tail pages may hold of the cache: enough for the searches and deep listing pages
 * visitors repeat, while a flood of new ones (a visitor cycling cursors) evicts at most this
 * much of the rest, its least recently used pages.
 */
const TAIL_SHARE = 0.25

/**
 * The page cache (ISR): rendered responses in memory, bounded in bytes with least-recently-used
 * eviction, served stale while one background render refreshes them, dropped by tag or path.
 * Long-tail pages (endless addresses: searches, cursors) share a part of the bound, evicted among
 * themselves first, so cycling through them cannot flush the others.
 * @example
 * const cache = new PageCache({ maxBytes: 64 * 1024 * 1024 })
 * const { page, state } = await cache.resolve('/products?page=2', { maxAgeMs: 60_000, staleWhileRevalidateMs: 600_000 }, render)
 */
export class PageCache {
  // A Map iterates in insertion order; re-inserting on use keeps the least recently used first.
  readonly #entries = new Map<string, Entry>()
  // The long-tail entries' keys, least recently used first (a Set keeps insertion order too).
  readonly #tail = new Set<string>()
  // Renders a request for the same key may join (single flight).
  readonly #flights = new Map<string, Promise<CachedPage | null>>()
  // Every render still running, joinable or not, so an invalidation can reach it.
  readonly #pending = new Set<Ticket>()
  readonly #maxBytes: number
  readonly #maxTailBytes: number
  readonly #now: () => number
  readonly #onError: (error: unknown, key: string) => void
  #bytes = 0
  #tailBytes = 0
  #started = 0

  constructor({ maxBytes, tailShare = TAIL_SHARE, now = Date.now, onError = reportToConsole }: PageCacheOptions) {
    this.#maxBytes = maxBytes
    this.#maxTailBytes = Math.floor(maxBytes * tailShare)
    this.#now = now
    this.#onError = onError
  }

  /** False with no memory to use (`PAGE_CACHE_MAX_BYTES=0`): pages then render on every request. */
  get enabled(): boolean {
    return this.#maxBytes > 0
  }

  get size(): number {
    return this.#entries.size
  }

  get bytes(): number {
    return this.#bytes
  }

  /** What long-tail pages hold, at most `tailShare` of `maxBytes`. */
  get tailBytes(): number {
    return this.#tailBytes
  }

  /**
   * HIT when fresh; STALE within the stale-while-revalidate window (served at once, one
   * background render refreshes it); otherwise MISS: renders, sharing one render among
   * concurrent requests. A MISS whose render answered null gives `page: null`, also to requests
   * that joined it: they render for themselves. A failed MISS render rejects every joined request.
   */
  async resolve(key: string, policy: CachePolicy, render: RenderPage): Promise<ResolvedPage> {
    const entry = this.#entries.get(key)
    if (entry) {
      const age = this.#now() - entry.storedAt
      if (age < policy.maxAgeMs + policy.staleWhileRevalidateMs) {
        this.#entries.delete(key)
        this.#entries.set(key, entry)
        if (entry.longTail) {
          this.#tail.delete(key)
          this.#tail.add(key)
        }
        if (age < policy.maxAgeMs) return { page: entry.page, state: 'HIT' }
        if (!this.#flights.has(key)) this.#start(key, render).catch((error: unknown) => this.#onError(error, key))
        return { page: entry.page, state: 'STALE' }
      }
      this.#delete(key)
    }
    const page = await (this.#flights.get(key) ?? this.#start(key, render))
    return { page, state: 'MISS' }
  }

  /** Drops every entry tagged `tag`, and keeps renders in flight from storing such a page. */
  invalidateTag(tag: string): void {
    this.#invalidate({ kind: 'tag', value: tag })
  }

  /** Drops every entry rendered for `path`, whatever its query, e.g. `/products?page=2`. */
  invalidatePath(path: string): void {
    this.#invalidate({ kind: 'path', value: path })
  }

  /**
   * Drops every entry, and keeps every render in flight from storing its page: for a process
   * that may have missed invalidations (its listening connection was lost).
   */
  invalidateAll(): void {
    this.#entries.clear()
    this.#tail.clear()
    this.#bytes = 0
    this.#tailBytes = 0
    for (const ticket of this.#pending) ticket.missed = 'too-many'
    this.#flights.clear()
  }

  #start(key: string, render: RenderPage): Promise<CachedPage | null> {
    const ticket: Ticket = { order: ++this.#started, missed: [] }
    this.#pending.add(ticket)
    const flight = this.#renderAndStore(key, render, ticket).finally(() => {
      this.#pending.delete(ticket)
      if (this.#flights.get(key) === flight) this.#flights.delete(key)
    })
    this.#flights.set(key, flight)
    return flight
  }

  async #renderAndStore(key: string, render: RenderPage, ticket: Ticket): Promise<CachedPage | null> {
    const page = await render()
    if (page) this.#store(key, page, ticket)
    return page
  }

  #store(key: string, page: CachedPage, ticket: Ticket): void {
    // It may have read data from before a change it was told about while rendering.
    if (ticket.missed === 'too-many' || ticket.missed.some((change) => affects(change, page))) return
    const current = this.#entries.get(key)
    if (current && current.order > ticket.order) return
    if (current) this.#delete(key)
    const bytes = entryBytes(key, page)
    const longTail = page.longTail === true
    if (bytes > (longTail ? this.#maxTailBytes : this.#maxBytes)) return
    this.#entries.set(key, { page, storedAt: this.#now(), bytes, order: ticket.order, longTail })
    this.#bytes += bytes
    if (longTail) {
      this.#tail.add(key)
      this.#tailBytes += bytes
      // Room made among the long tail first: only its share can be taken from the other pages.
      for (const oldest of this.#tail) {
        if (this.#tailBytes <= this.#maxTailBytes) break
        this.#delete(oldest)
      }
    }
    for (const [oldest] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break
      this.#delete(oldest)
    }
  }

  #invalidate(change: Invalidation): void {
    for (const [key, entry] of this.#entries) if (affects(change, entry.page)) this.#delete(key)
    for (const ticket of this.#pending) {
      if (ticket.missed === 'too-many') continue
      if (ticket.missed.length < MAX_MISSED_INVALIDATIONS) ticket.missed.push(change)
      else ticket.missed = 'too-many'
    }
    // Which renders the change touches is known only when they finish, so no request from now on
    // joins one that began before it (read-your-writes after a form post).
    this.#flights.clear()
  }

  #delete(key: string): void {
    const entry = this.#entries.get(key)
    if (!entry) return
    this.#entries.delete(key)
    this.#bytes -= entry.bytes
    if (entry.longTail) {
      this.#tail.delete(key)
      this.#tailBytes -= entry.bytes
    }
  }
}

/** What an entry costs: its body's UTF-8 bytes dominate; the rest is counted so the bound holds. */
export function entryBytes(key: string, page: CachedPage): number {
  const parts = [key, page.path, page.scriptHashes, ...page.tags, ...Object.entries(page.headers).flat()]
  return parts.reduce((sum, part) => sum + Buffer.byteLength(part), ENTRY_OVERHEAD_BYTES + page.body.byteLength + (page.gzipped?.byteLength ?? 0))
}

function affects(change: Invalidation, page: CachedPage): boolean {
  return change.kind === 'tag' ? page.tags.includes(change.value) : page.path === change.value
}

function reportToConsole(error: unknown, key: string): void {
  console.error(`Page cache: regenerating ${key} failed`, error)
}
