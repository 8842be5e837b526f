import type { Migration } from 'kysely'
import type { Db } from '#shared/db'
import * as createCacheInvalidations from './migrations/001-create-cache-invalidations.server.ts'
import type { PageCache } from './page-cache.server.ts'
import type { InvalidationKind } from './tables.server.ts'

/** The page cache's own migrations: run them with the domains' (`runMigrations` from `#shared/db`). */
export const cacheMigrations: Record<string, Required<Migration>> = {
  'platform/001-create-cache-invalidations': createCacheInvalidations,
}

export interface InvalidationLogOptions {
  /** How often `start()` reads other processes' invalidations: the most a page stays outdated. */
  pollMs?: number
  /** Rows older than this are deleted (about once a minute); a process further behind misses them. */
  retentionMs?: number
  now?: () => number
  /** Where a failed timed poll goes; `poll()` called directly rejects instead. */
  onError?: (error: unknown) => void
}

export interface InvalidationLog {
  /** Drops pages tagged `tag` here at once, and in every process sharing the database at its next poll. */
  revalidateTag(tag: string): Promise<void>
  /** Drops pages rendered for `path` (every query variant) here at once, elsewhere at the next poll. */
  revalidatePath(path: string): Promise<void>
  /** Applies the invalidations written since the last poll, by any process. */
  poll(): Promise<void>
  /**
   * Applies every invalidation committed before this call, here, at once: a poll already running
   * may have read before it, so this one waits for it and reads again. For a request that changed
   * data in a transaction (`recordInvalidations`) and must see its own write.
   */
  sync(): Promise<void>
  start(): void
  stop(): void
}

const table = 'tessera_cache_invalidations'
const batchSize = 500
const pruneEveryMs = 60_000

/**
 * Shares page cache invalidations between processes (workers, hosts) through the database: each
 * writes a row, each polls for the rows it has not seen. Rows from before it was created are
 * history: the caches they applied to were already gone.
 * @example
 * const log = createInvalidationLog(db, cache, { onError: (err) => logger.error('cache poll', { err }) })
 * log.start()
 * await log.revalidateTag('product:12')
 */
export function createInvalidationLog(
  db: Db,
  cache: Pick<PageCache, 'invalidateTag' | 'invalidatePath'>,
  { pollMs = 100, retentionMs = 60 * 60_000, now = Date.now, onError = reportToConsole }: InvalidationLogOptions = {},
): InvalidationLog {
  let lastSeenId: number | undefined
  let polling: Promise<void> | undefined
  let timer: NodeJS.Timeout | undefined
  let prunedAt = now()
  // Rows this process wrote, applied when written: its poll skips them instead of dropping
  // again the pages rendered since (and any render in flight).
  const ownIds = new Set<number>()

  const readLastId = async () =>
    (await db.selectFrom(table).select((eb) => eb.fn.max('id').as('id')).executeTakeFirst())?.id ?? 0
  // Read at once, so that only rows written after creation count; `replay` retries if it failed.
  const ready = readLastId().then((id) => void (lastSeenId = id), onError)

  const apply = (kind: InvalidationKind, value: string) =>
    kind === 'tag' ? cache.invalidateTag(value) : cache.invalidatePath(value)

  async function record(kind: InvalidationKind, value: string): Promise<void> {
    apply(kind, value)
    const { id } = await db.insertInto(table).values({ kind, value, created_at: now() }).returning('id').executeTakeFirstOrThrow()
    ownIds.add(id)
  }

  async function replay(): Promise<void> {
    await ready
    let last = lastSeenId ?? (await readLastId())
    for (;;) {
      const rows = await db.selectFrom(table).select(['id', 'kind', 'value']).where('id', '>', last).orderBy('id').limit(batchSize).execute()
      for (const row of rows) {
        if (!ownIds.delete(row.id)) apply(row.kind, row.value)
        last = row.id
      }
      lastSeenId = last
      if (rows.length < batchSize) break
    }
    for (const id of ownIds) if (id <= last) ownIds.delete(id) // written before this log's start
    if (now() - prunedAt >= pruneEveryMs) {
      prunedAt = now()
      await db.deleteFrom(table).where('created_at', '<', prunedAt - retentionMs).execute()
    }
  }

  function poll(): Promise<void> {
    // One poll at a time: a slow one must not be overtaken by the timer's next.
    polling ??= replay().finally(() => void (polling = undefined))
    return polling
  }

  async function sync(): Promise<void> {
    await polling?.catch(() => undefined)
    await poll()
  }

  return {
    revalidateTag: (tag) => record('tag', tag),
    revalidatePath: (path) => record('path', path),
    poll,
    sync,
    start() {
      if (timer) return
      timer = setInterval(() => void poll().catch(onError), pollMs)
      // Polling alone must not keep the process alive, e.g. during a graceful shutdown.
      timer.unref()
    },
    stop() {
      clearInterval(timer)
      timer = undefined
    },
  }
}

function reportToConsole(error: unknown): void {
  console.error('Page cache: reading invalidations failed', error)
}
