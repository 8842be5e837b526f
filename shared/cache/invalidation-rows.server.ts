import type { Db } from '#shared/db'
import type { InvalidatedCache } from './invalidation-log.server.ts'
import type { InvalidationKind } from './tables.server.ts'

export const table = 'tessera_cache_invalidations'

/** Drops the pages one row names, in this process. */
export function applyInvalidation(cache: InvalidatedCache, kind: InvalidationKind, value: string): void {
  if (kind === 'tag') cache.invalidateTag(value)
  else cache.invalidatePath(value)
}

/** Writes one row: every other process applies it (by polling, or as its notification arrives). */
export async function insertInvalidation(db: Db, kind: InvalidationKind, value: string, now: number): Promise<number> {
  return (await db.insertInto(table).values({ kind, value, created_at: now }).returning('id').executeTakeFirstOrThrow()).id
}

const pruneEveryMs = 60_000

/** Deletes the rows older than the retention, at most once a minute per process. */
export function pruner(db: Db, { now, retentionMs }: { now: () => number; retentionMs: number }): () => Promise<void> {
  let prunedAt = now()
  return async () => {
    if (now() - prunedAt < pruneEveryMs) return
    prunedAt = now()
    await db
      .deleteFrom(table)
      .where('created_at', '<', prunedAt - retentionMs)
      .execute()
  }
}
