import { setTimeout as sleep } from 'node:timers/promises'
import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely'

/** How long a statement waits for another process's write lock before its SQLITE_BUSY stands (a 503). */
export const LOCK_WAIT_MS = 5000

/**
 * What SQLite itself waits for the lock (its busy timeout) before the statement fails with
 * SQLITE_BUSY. better-sqlite3 waits synchronously: the whole process, health checks included,
 * stands still meanwhile. So SQLite waits only this long, enough for another worker's
 * transaction (a few milliseconds), and `waitingForLocks` waits the rest between timers.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 10

/** The longest pause between two tries, and so the gap after which a lock found held is a new wait. */
const MAX_PAUSE_MS = 50

/**
 * The connection, with a statement that could not take the write lock (another process holds it:
 * a worker's transaction, a bulk command, an operator's sqlite3 shell) tried again after a pause
 * that does not block the event loop, up to `maxWaitMs` from when the lock was found held. Only
 * outside a transaction (an autocommit statement, or the `begin immediate` that opens one): such
 * a statement failed whole, so trying it again is safe; inside one, the error stands for the
 * transaction to roll back. The statements queued on this connection behind one that gave up
 * (Kysely runs one at a time) share its wait: they give up at once while the lock is still held,
 * instead of each waiting `maxWaitMs` more (three writes took 5, 10 and 15 s to their 503). A read
 * between them does not end that wait: under WAL a read goes on while another process writes, so
 * its success says nothing of the lock (each request's reads before its write did, and queued
 * writes took 5, 19.5, 19 and 18.5 s).
 */
export function waitingForLocks(connection: DatabaseConnection, inTransaction: () => boolean, maxWaitMs = LOCK_WAIT_MS): DatabaseConnection {
  let lockHeld: { since: number; seen: number } | undefined
  return {
    async executeQuery<Row>(query: CompiledQuery): Promise<QueryResult<Row>> {
      for (let pause = 2; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
        try {
          // Awaited here: better-sqlite3's errors are thrown, not rejected.
          const result = await connection.executeQuery<Row>(query)
          if (!isRead(query)) lockHeld = undefined
          return result
        } catch (err) {
          if (!isBusy(err) || inTransaction()) throw err
          const now = Date.now()
          // Found held a moment ago too: the same wait goes on.
          lockHeld = lockHeld && now - lockHeld.seen <= 2 * MAX_PAUSE_MS ? { since: lockHeld.since, seen: now } : { since: now, seen: now }
          if (now + pause > lockHeld.since + maxWaitMs) throw err
        }
        await sleep(pause)
      }
    },
    streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
  }
}

/** A statement that takes no write lock: a select (Kysely's, or written by hand). */
const isRead = (query: CompiledQuery) => query.query.kind === 'SelectQueryNode' || /^\s*select\b/i.test(query.sql)

/** SQLITE_BUSY itself: not its variants (SQLITE_BUSY_SNAPSHOT needs the whole transaction again). */
const isBusy = (err: unknown) => (err as { code?: unknown } | null)?.code === 'SQLITE_BUSY'
