import type SQLite from 'better-sqlite3'
import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely'
import type { Db } from './database.server.ts'

/**
 * The storage refused a write: the disk full, an I/O error, the file or its mount read-only. Not
 * a lock held elsewhere (SQLITE_BUSY: it passes) nor a query's own fault (a constraint).
 */
const STORAGE_REFUSED = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN)(_|$)/

/** Whether this connection's last write that ended (an autocommit statement, a commit) was refused by the storage. */
export type WriteHealth = { failing: boolean }

const tracked = new WeakMap<Db, { sqlite: SQLite.Database; health: WriteHealth }>()

/** Makes `isSqliteWritable` possible on this database (openSqlite does). */
export function registerWriteHealth(db: Db, sqlite: SQLite.Database, health: WriteHealth): void {
  tracked.set(db, { sqlite, health })
}

/**
 * The connection, noting each write's outcome in `health`: refused by the storage, or one that
 * committed (which ends a refusal: the storage takes writes again). Costs a property set per
 * statement; no write of its own.
 */
export function noticingWriteFailures(connection: DatabaseConnection, inTransaction: () => boolean, health: WriteHealth): DatabaseConnection {
  return {
    async executeQuery<Row>(query: CompiledQuery): Promise<QueryResult<Row>> {
      try {
        const result = await connection.executeQuery<Row>(query)
        // Inside a transaction a write is not yet on disk: only its commit says the storage took it.
        if (health.failing && !inTransaction() && (/^\s*commit\b/i.test(query.sql) || (result.numAffectedRows ?? 0n) > 0n)) health.failing = false
        return result
      } catch (err) {
        if (STORAGE_REFUSED.test(String((err as { code?: unknown } | null)?.code))) health.failing = true
        throw err
      }
    },
    streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
  }
}

/**
 * False while the storage refuses this database's writes (every order would fail): what `/readyz`
 * asks. Healthy, it writes nothing (a property read). Once a write was refused, each call tries a
 * write of its own (a table made and dropped, committed: it reaches the disk as an order's would),
 * so readiness comes back by itself when the storage takes writes again, even with no traffic
 * sent to a host taken out of rotation.
 */
export function isSqliteWritable(db: Db): boolean {
  const entry = tracked.get(db)
  if (!entry?.health.failing) return true
  const { sqlite, health } = entry
  if (sqlite.inTransaction) return false // a request's transaction: its commit will tell
  try {
    sqlite.exec('begin immediate; create table tessera_write_check (x integer); drop table tessera_write_check; commit')
    health.failing = false
  } catch {
    if (sqlite.inTransaction) sqlite.exec('rollback')
  }
  return !health.failing
}
