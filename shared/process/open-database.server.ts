import type { Config } from '#shared/config'
import { sql } from 'kysely'
import { openDatabase, type Db } from '#shared/db'
import { isDatabaseUnavailable } from '#shared/http'

type DatabaseConfig = Pick<Config, 'DATABASE_URL' | 'DATABASE_PATH' | 'DATABASE_POOL_MAX' | 'DATABASE_QUERY_TIMEOUT_MS' | 'DATABASE_POOL_IDLE_TIMEOUT_MS'>

/** The configured database: PostgreSQL at DATABASE_URL when it is set, else SQLite at DATABASE_PATH. */
export function openConfiguredDatabase(config: DatabaseConfig): Db {
  return config.DATABASE_URL
    ? openDatabase(config.DATABASE_URL, {
        poolMax: config.DATABASE_POOL_MAX,
        queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS,
        idleTimeoutMs: config.DATABASE_POOL_IDLE_TIMEOUT_MS,
      })
    : openDatabase(config.DATABASE_PATH)
}

/**
 * Opens the configured database and checks it answers, for start-up: an unreachable PostgreSQL,
 * or a SQLite path that cannot hold a database (a folder, a file where a folder should be, no
 * permission), is one clear line naming the variable (never PostgreSQL's password) and exit 1,
 * not a stack trace.
 */
export async function connectConfiguredDatabase(config: DatabaseConfig, { toServe = false } = {}): Promise<Db> {
  if (!config.DATABASE_URL) return toServe ? writableSqliteOrExit(config) : openSqliteOrExit(config)
  const db = openConfiguredDatabase(config)
  const refusal = await sql`select 1`.execute(db).then(
    () => undefined,
    (err: unknown) => err,
  )
  if (refusal === undefined) return db
  await db.destroy()
  const { hostname, port, pathname } = new URL(config.DATABASE_URL)
  const where = `PostgreSQL at ${hostname}:${port || 5432} (database ${pathname.slice(1) || '(default)'})`
  // PostgreSQL's own reason when it answered (a wrong password, no such database or role: never
  // the password itself); a network error's code when it did not.
  const { message, code } = (refusal ?? {}) as { message?: string; code?: string }
  const reason = message || code || String(refusal) // Node's AggregateError (localhost: ::1 and 127.0.0.1) has no message
  process.stderr.write(
    isDatabaseUnavailable(refusal)
      ? `DATABASE_URL: cannot reach ${where}: ${reason}. Is it running, and does it accept this host?\n`
      : `DATABASE_URL: ${where} refused the connection: ${reason}.\n`,
  )
  process.exit(1)
}

/**
 * For serving: a SQLite file that opens but takes no write (the file or its folder read-only for
 * this user, a read-only mount) is the same one line, not a stack from the first migration or
 * start-up task. Tried as a table made and rolled back; another process writing (busy) is fine.
 */
async function writableSqliteOrExit(config: DatabaseConfig): Promise<Db> {
  const db = openSqliteOrExit(config)
  const refused = await db
    .transaction()
    .execute(async (trx) => {
      await sql`create table tessera_write_check (x integer)`.execute(trx)
      throw new RolledBack()
    })
    .catch((err: unknown) => (err instanceof RolledBack || (err as { code?: unknown }).code === 'SQLITE_BUSY' ? undefined : err))
  if (!refused) return db
  await db.destroy()
  const reason = refused instanceof Error ? refused.message : String(refused)
  process.stderr.write(`DATABASE_PATH: cannot write the database at ${config.DATABASE_PATH} (${reason}). Is it a file in a folder this user may write?\n`)
  process.exit(1)
}

class RolledBack extends Error {}

function openSqliteOrExit(config: DatabaseConfig): Db {
  try {
    return openConfiguredDatabase(config)
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    process.stderr.write(`DATABASE_PATH: cannot open a database at ${config.DATABASE_PATH} (${reason}). Is it a file in a folder this user may write?\n`)
    process.exit(1)
  }
}
