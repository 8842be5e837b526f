import type { InvalidatedCache } from './invalidation-log.server.ts'

export interface DataCacheOptions {
  /** The page-cache tags whose invalidation drops every entry: the data the values are derived from. */
  tags: string[]
  /** The most entries kept (per database); the least recently used goes first. */
  maxEntries: number
}

/**
 * Values derived from the database (a search's ranked ids, say), kept in this process and dropped
 * by the same tags as the pages that show that data, in every process: the invalidation log that
 * drops pages (shared/cache/invalidation-log.server.ts) drops these too. Values are kept per
 * database, so tests and tools with several databases never share one.
 * @example
 * const windows = new DataCache<number[]>({ tags: ['products'], maxEntries: 500 })
 * const ids = await windows.get(db, 'q=mug', () => rankIds(db, 'mug'))
 */
export class DataCache<Value> {
  #byDatabase = new WeakMap<object, Map<string, Value>>()
  /** Values being computed: requests asking for one at the same moment wait for the same computation. */
  #computing = new WeakMap<object, Map<string, Promise<Value>>>()
  readonly #options: DataCacheOptions
  /** Bumped by each invalidation: a value computed across one is not kept (it may predate the change). */
  #generation = 0

  constructor(options: DataCacheOptions) {
    this.#options = options
    everyDataCache.add(this)
  }

  /** The value for `key` in `db`, computed by `compute` when absent (and kept unless invalidated meanwhile). */
  async get(db: object, key: string, compute: () => Promise<Value>): Promise<Value> {
    const entries = this.#byDatabase.get(db)
    const found = entries?.get(key)
    if (found !== undefined) {
      entries!.delete(key) // to the most recent end
      entries!.set(key, found)
      return found
    }
    let computing = this.#computing.get(db)
    const pending = computing?.get(key)
    if (pending) return pending
    if (!computing) this.#computing.set(db, (computing = new Map()))
    const value = this.#compute(db, key, compute)
    computing.set(key, value)
    const done = () => computing.get(key) === value && computing.delete(key)
    value.then(done, done)
    return value
  }

  async #compute(db: object, key: string, compute: () => Promise<Value>): Promise<Value> {
    const generation = this.#generation
    const value = await compute()
    if (generation !== this.#generation || this.#options.maxEntries <= 0) return value
    let entries = this.#byDatabase.get(db)
    if (!entries) this.#byDatabase.set(db, (entries = new Map()))
    entries.set(key, value)
    if (entries.size > this.#options.maxEntries) entries.delete(entries.keys().next().value!)
    return value
  }

  invalidateTag(tag: string): void {
    if (this.#options.tags.includes(tag)) this.invalidateAll()
  }

  invalidatePath(): void {} // values are not pages

  invalidateAll(): void {
    this.#generation++
    this.#byDatabase = new WeakMap()
    this.#computing = new WeakMap() // begun before the change: not for requests after it
  }
}

const everyDataCache = new Set<DataCache<unknown>>()

/** Every DataCache of this process, as one target for the invalidation log. */
export const dataCaches: InvalidatedCache = {
  invalidateTag: (tag) => {
    for (const cache of everyDataCache) cache.invalidateTag(tag)
  },
  invalidatePath: () => {},
  invalidateAll: () => {
    for (const cache of everyDataCache) cache.invalidateAll()
  },
}

/** Several caches as one target: the log drops pages and data alike. */
export function allOf(...caches: InvalidatedCache[]): InvalidatedCache {
  return {
    invalidateTag: (tag) => {
      for (const cache of caches) cache.invalidateTag(tag)
    },
    invalidatePath: (path) => {
      for (const cache of caches) cache.invalidatePath(path)
    },
    invalidateAll: () => {
      for (const cache of caches) cache.invalidateAll()
    },
  }
}
