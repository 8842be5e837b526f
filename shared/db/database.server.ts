import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, sql } from 'kysely'
import { registerConnection } from './read-at-once.server.ts'
import { TransactionalSqliteDialect } from './sqlite-dialect.server.ts'
import { withStatementCache } from './statement-cache.server.ts'

/**
 * The app's tables. Empty here on purpose: each domain adds its own tables by augmentation in a
 * `*.server.ts` file of its own, so shared/ never has to know a domain:
 *
 * @example
 * declare module '#shared/db' { interface Database { products: ProductsTable } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}

export type Db = Kysely<Database>

/**
 * Opens the embedded SQLite database with the settings a web server needs: WAL so readers never
 * wait for the writer, a busy timeout so concurrent writers queue instead of failing, and
 * enforced foreign keys. All SQL goes through Kysely, so another dialect can be added later.
 * @example const db = openDatabase('data/tessera.db')
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new SQLite(path)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('synchronous = NORMAL')
  const statements = withStatementCache(sqlite)
  const db = new Kysely<Database>({ dialect: new TransactionalSqliteDialect({ database: statements }) })
  registerConnection(db, { sqlite, statements })
  return db
}

/** True when the database answers a query: what `/readyz` asks. */
export async function isDatabaseReady(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db)
    return true
  } catch {
    return false
  }
}
