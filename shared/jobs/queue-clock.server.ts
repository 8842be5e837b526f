import { type DialectAdapter, type Kysely, sql } from 'kysely'
import { dialectOf, type Database, type Db } from '#shared/db'

/** How often a process reads the database's clock again: clocks drift apart slowly. */
export const QUEUE_CLOCK_SYNC_MS = 60_000

/**
 * Per database (its adapter: its transactions share it), what to add to this process's clock to
 * read the database's: none until measured, none on SQLite.
 */
const offsets = new WeakMap<DialectAdapter, number>()

/**
 * The job queue's time, in milliseconds since 1970: the database's clock on PostgreSQL, where
 * several hosts share one queue. Each host's own clock would let one running a minute fast run a
 * delayed job (an order's fulfilment, and with it the end of its cancel window) a minute early,
 * and take over jobs whose lease has not run out. On SQLite (one host) it is this host's clock.
 */
export function queueNow(db: Kysely<Database>): number {
  return Date.now() + (offsets.get(db.getExecutor().adapter) ?? 0)
}

/**
 * Measures how far the database's clock is from this process's: one query on a connection
 * already held (a wait for the pool would count as distance), its answer taken as read halfway
 * through the round trip. Kept until the next measure (`keepQueueClock`).
 */
export async function syncQueueClock(db: Db): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  await db.connection().execute(async (connection) => {
    const sent = Date.now()
    const { rows } = await sql<{ now: number }>`select (extract(epoch from clock_timestamp()) * 1000)::bigint as now`.execute(connection)
    const received = Date.now()
    if (rows[0]) offsets.set(db.getExecutor().adapter, Math.round(rows[0].now - (sent + received) / 2))
  })
}

/** Measures now, then every `QUEUE_CLOCK_SYNC_MS`; the function it returns stops it. A failed measure keeps the last one. */
export async function keepQueueClock(db: Db, onError: (err: unknown) => void): Promise<() => void> {
  if (dialectOf(db) !== 'postgres') return () => {}
  await syncQueueClock(db).catch(onError)
  const timer = setInterval(() => void syncQueueClock(db).catch(onError), QUEUE_CLOCK_SYNC_MS)
  timer.unref()
  return () => clearInterval(timer)
}
