import type { Generated } from 'kysely'

export type InvalidationKind = 'tag' | 'path'

/** One `revalidateTag`/`revalidatePath` call, kept for an hour so every process can replay it. */
export interface CacheInvalidationsTable {
  // AUTOINCREMENT: ids are never reused, so "id > last seen" never skips a row after a prune.
  id: Generated<number>
  kind: InvalidationKind
  value: string
  /** Milliseconds since the epoch. */
  created_at: number
}

declare module '#shared/db' {
  interface Database {
    tessera_cache_invalidations: CacheInvalidationsTable
  }
}
