import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely } from 'kysely'
import type { Database, Db } from './database.server.ts'
import { registerConnection } from './read-at-once.server.ts'
import { TransactionalSqliteDialect } from './sqlite-dialect.server.ts'
import { SQLITE_BUSY_TIMEOUT_MS } from './sqlite-lock-wait.server.ts'
import { registerWriteHealth } from './sqlite-write-health.server.ts'
import { withStatementCache } from './statement-cache.server.ts'

/**
 * Opens the embedded SQLite database with the settings a web server needs: WAL so readers never
 * wait for the writer, writers that wait for each other's lock (without blocking the process:
 * sqlite-lock-wait.server.ts) instead of failing, and enforced foreign keys.
 * @example const db = openSqlite('data/tessera.db')
 */
export function openSqlite(path: string): Db {
  if (path !== ':memory:') makeFolders(dirname(path))
  const sqlite = new SQLite(path)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`)
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('synchronous = NORMAL')
  const statements = withStatementCache(sqlite)
  const writes = { failing: false }
  const db = new Kysely<Database>({ dialect: new TransactionalSqliteDialect({ database: statements, inTransaction: () => sqlite.inTransaction, writes }) })
  registerConnection(db, { sqlite, statements })
  registerWriteHealth(db, sqlite, writes)
  if (path !== ':memory:') openedFiles.set(db, { path, ...fileIdentity(path)! })
  return db
}

const openedFiles = new WeakMap<Db, { path: string; dev: number; ino: number }>()
const fileIdentity = (path: string) => {
  const stat = statSync(path, { throwIfNoEntry: false })
  return stat && { dev: stat.dev, ino: stat.ino }
}

/**
 * False when the SQLite file this database opened is no longer at its path: deleted (an `rm`, a
 * deploy replacing the data folder) or replaced by another file (a restore copied over it). The
 * process still reads and writes the file it has open, which nobody will find again: everything
 * written from then on is lost when it restarts. True for any other database.
 */
export function isSqliteFileInPlace(db: Db): boolean {
  const opened = openedFiles.get(db)
  if (!opened) return true
  const now = fileIdentity(opened.path)
  return now !== undefined && now.dev === opened.dev && now.ino === opened.ino
}

/**
 * The folder and those above it that are missing, one level at a time: Node's recursive mkdir
 * loops forever where the kernel refuses with ENOENT under a folder that exists (/proc/x/y).
 */
function makeFolders(folder: string): void {
  if (existsSync(folder)) return
  makeFolders(dirname(folder))
  try {
    mkdirSync(folder)
  } catch (err) {
    // Another process starting at once made it first.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
}
