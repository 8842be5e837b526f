import { type Kysely, PostgresAdapter } from 'kysely'
import { isPostgresWritable, openPostgres, type PostgresOptions } from './postgres-database.server.ts'
import { readAtOnce } from './read-at-once.server.ts'
import { isSqliteFileInPlace, openSqlite } from './sqlite-database.server.ts'
import { isSqliteWritable } from './sqlite-write-health.server.ts'

/**
 * The app's tables. Empty here on purpose: each domain adds its own tables by augmentation in a
 * `*.server.ts` file of its own, so shared/ never has to know a domain:
 *
 * @example
 * declare module '#shared/db' { interface Database { products: ProductsTable } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface, so that domains can add to it (declaration merging)
export interface Database {}

export type Db = Kysely<Database>

/** Which SQL the database speaks: where it differs, a module in shared/db (or a domain's search) has a twin per dialect. */
export type Dialect = 'sqlite' | 'postgres'

/** Where the database is: a SQLite file (or `:memory:`), or a `postgres://` URL. */
export type DatabaseLocation = string

const POSTGRES_URL = /^postgres(ql)?:\/\//

/**
 * Opens the database: PostgreSQL for a `postgres://` URL (several hosts share it), else the
 * embedded SQLite file (one host, every core). Every query goes through Kysely either way.
 * @example const db = openDatabase(config.DATABASE_URL ?? config.DATABASE_PATH, { poolMax: 10 })
 */
export function openDatabase(location: DatabaseLocation, options: PostgresOptions = {}): Db {
  return POSTGRES_URL.test(location) ? openPostgres(location, options) : openSqlite(location)
}

/** The dialect of a database or of a transaction on one. */
export function dialectOf(db: Kysely<unknown> | Db): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}

/**
 * True when the database answers a query and would take a write: what `/readyz` asks. A SQLite
 * file must still be where it was opened; a PostgreSQL server must not be read-only (a standby
 * reached after a failover refuses every order while its reads still answer), and SQLite's last
 * write must not have been refused by its storage (the disk full, a read-only mount) unless a
 * write of the check's own now passes.
 */
export async function isDatabaseReady(db: Db): Promise<boolean> {
  if (!isSqliteFileInPlace(db)) return false
  if (!isSqliteWritable(db)) return false
  try {
    // SQLite: on the connection at once, not behind the driver's lock, which a write waiting for
    // another process's lock holds for up to 5 s (sqlite-lock-wait.server.ts): ready all the same.
    if (readAtOnce(db, 'select 1', []) !== undefined) return true
    return await isPostgresWritable(db)
  } catch {
    return false
  }
}
