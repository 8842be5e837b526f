import type { Db } from '#shared/db'
import type { InvalidatedCache, InvalidationLog, ResolvedLogOptions } from './invalidation-log.server.ts'
import { applyInvalidation, insertInvalidation, pruner, table } from './invalidation-rows.server.ts'
import type { InvalidationKind } from './tables.server.ts'

const batchSize = 500

/**
 * SQLite: each process polls the table for the rows it has not seen ("id > last seen" is safe:
 * SQLite commits one writer at a time, so a row with a lower id never commits later).
 */
export function pollingInvalidationLog(db: Db, cache: InvalidatedCache, { pollMs, retentionMs, now, onError }: ResolvedLogOptions): InvalidationLog {
  let lastSeenId: number | undefined
  let polling: Promise<void> | undefined
  let timer: NodeJS.Timeout | undefined
  const prune = pruner(db, { now, retentionMs })
  // Rows this process wrote, applied when written: its poll skips them instead of dropping
  // again the pages rendered since (and any render in flight).
  const ownIds = new Set<number>()

  const readLastId = async () =>
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst()
    )?.id ?? 0
  // Read at once, so that only rows written after creation count; `replay` retries if it failed.
  const ready = readLastId().then((id) => void (lastSeenId = id), onError)

  async function record(kind: InvalidationKind, value: string): Promise<void> {
    applyInvalidation(cache, kind, value)
    ownIds.add(await insertInvalidation(db, kind, value, now()))
  }

  async function replay(): Promise<void> {
    await ready
    let last = lastSeenId ?? (await readLastId())
    for (;;) {
      const rows = await db.selectFrom(table).select(['id', 'kind', 'value']).where('id', '>', last).orderBy('id').limit(batchSize).execute()
      for (const row of rows) {
        if (!ownIds.delete(row.id)) applyInvalidation(cache, row.kind, row.value)
        last = row.id
      }
      lastSeenId = last
      if (rows.length < batchSize) break
    }
    for (const id of ownIds) if (id <= last) ownIds.delete(id) // written before this log's start
    await prune()
  }

  function poll(): Promise<void> {
    // One poll at a time: a slow one must not be overtaken by the timer's next.
    polling ??= replay().finally(() => void (polling = undefined))
    return polling
  }

  return {
    revalidateTag: (tag) => record('tag', tag),
    revalidatePath: (path) => record('path', path),
    poll,
    async sync() {
      await polling?.catch(() => undefined)
      await poll()
    },
    start() {
      if (timer) return
      // A poll still going (the database slow or locked) is left to say how it went, once: a tick
      // joining it would report its one failure again, hundreds of lines for a 25 s wait.
      timer = setInterval(() => void (polling ?? poll().catch(onError)), pollMs)
      // Polling alone must not keep the process alive, e.g. during a graceful shutdown.
      timer.unref()
    },
    stop() {
      clearInterval(timer)
      timer = undefined
    },
  }
}
