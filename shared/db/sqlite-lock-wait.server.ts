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

/**
 * The connection, with a statement that could not take the write lock (another process holds it:
 * a worker's transaction, a bulk command, an operator's sqlite3 shell) tried again after a pause
 * that does not block the event loop, up to `maxWaitMs` in all. Only outside a transaction (an
 * autocommit statement, or the `begin immediate` that opens one): such a statement failed whole,
 * so trying it again is safe; inside one, the error stands for the transaction to roll back.
 */
export function waitingForLocks(connection: DatabaseConnection, inTransaction: () => boolean, maxWaitMs = LOCK_WAIT_MS): DatabaseConnection {
  return {
    async executeQuery<Row>(query: CompiledQuery): Promise<QueryResult<Row>> {
      const deadline = Date.now() + maxWaitMs
      for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
        try {
          // Awaited here: better-sqlite3's errors are thrown, not rejected.
          return await connection.executeQuery<Row>(query)
        } catch (err) {
          if (!isBusy(err) || inTransaction() || Date.now() + pause > deadline) throw err
        }
        await sleep(pause)
      }
    },
    streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
  }
}

/** SQLITE_BUSY itself: not its variants (SQLITE_BUSY_SNAPSHOT needs the whole transaction again). */
const isBusy = (err: unknown) => (err as { code?: unknown } | null)?.code === 'SQLITE_BUSY'
