import type { Migration } from 'kysely'
import { dialectOf, type Db, type Dialect } from '#shared/db'
import { listeningInvalidationLog } from './invalidation-log.postgres.server.ts'
import { pollingInvalidationLog } from './invalidation-log.sqlite.server.ts'
import * as createCacheInvalidations from './migrations/001-create-cache-invalidations.server.ts'
import * as notifyCacheInvalidations from './migrations/004-notify-cache-invalidations.server.ts'
import type { PageCache } from './page-cache.server.ts'

/** The page cache's own migrations: run them with the domains' (`runMigrations` from `#shared/db`). */
export const cacheMigrations: Record<string, Required<Migration>> = {
  'platform/001-create-cache-invalidations': createCacheInvalidations,
  'platform/004-notify-cache-invalidations': notifyCacheInvalidations,
}

export interface InvalidationLogOptions {
  /** SQLite: how often `start()` reads other processes' invalidations, the most a page stays outdated. PostgreSQL: unused (they are pushed). */
  pollMs?: number
  /** Rows older than this are deleted (about once a minute); a process further behind misses them. */
  retentionMs?: number
  now?: () => number
  /**
   * Where a failed timed poll goes (SQLite; `poll()` called directly rejects instead), or a lost or
   * failed listening connection (PostgreSQL, where `poll()` and `sync()` never reject: unable to
   * hear the server, they drop the whole page cache).
   */
  onError?: (error: unknown) => void
}

export interface InvalidationLog {
  /** Drops pages tagged `tag` here at once, and in every process sharing the database at its next poll (SQLite) or within moments (PostgreSQL). */
  revalidateTag(tag: string): Promise<void>
  /** Drops pages rendered for `path` (every query variant) here at once, elsewhere soon after. */
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

/** What the log does to this process's page cache. */
export type InvalidatedCache = Pick<PageCache, 'invalidateTag' | 'invalidatePath' | 'invalidateAll'>

export type ResolvedLogOptions = Required<Omit<InvalidationLogOptions, 'pollMs'>> & { pollMs: number }

const logIn: Record<Dialect, (db: Db, cache: InvalidatedCache, options: ResolvedLogOptions) => InvalidationLog> = {
  sqlite: pollingInvalidationLog,
  postgres: listeningInvalidationLog,
}

/**
 * Shares page cache invalidations between processes (workers, hosts) through the database: each
 * writes a row, and the others apply it. SQLite: each polls the table for rows it has not seen
 * (invalidation-log.sqlite.server.ts). PostgreSQL: a trigger NOTIFYs each row as it commits and
 * every process LISTENs on a connection of its own; one that loses it drops its whole page cache
 * and listens again (invalidation-log.postgres.server.ts). Rows from before the log was created
 * are history: the caches they applied to were already gone.
 * @example
 * const log = createInvalidationLog(db, cache, { onError: (err) => logger.error('cache poll', { err }) })
 * log.start()
 * await log.revalidateTag('product:12')
 */
export function createInvalidationLog(
  db: Db,
  cache: InvalidatedCache,
  { pollMs = 100, retentionMs = 60 * 60_000, now = Date.now, onError = reportToConsole }: InvalidationLogOptions = {},
): InvalidationLog {
  return logIn[dialectOf(db)](db, cache, { pollMs, retentionMs, now, onError })
}

function reportToConsole(error: unknown): void {
  console.error('Page cache: reading invalidations failed', error)
}
