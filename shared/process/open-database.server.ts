import type { Config } from '#shared/config'
import { isDatabaseReady, openDatabase, type Db } from '#shared/db'

type DatabaseConfig = Pick<Config, 'DATABASE_URL' | 'DATABASE_PATH' | 'DATABASE_POOL_MAX'>

/** The configured database: PostgreSQL at DATABASE_URL when it is set, else SQLite at DATABASE_PATH. */
export function openConfiguredDatabase(config: DatabaseConfig): Db {
  return config.DATABASE_URL ? openDatabase(config.DATABASE_URL, { poolMax: config.DATABASE_POOL_MAX }) : openDatabase(config.DATABASE_PATH)
}

/**
 * Opens the configured database and checks it answers, for start-up: an unreachable PostgreSQL,
 * or a SQLite path that cannot hold a database (a folder, a file where a folder should be, no
 * permission), is one clear line naming the variable (never PostgreSQL's password) and exit 1,
 * not a stack trace.
 */
export async function connectConfiguredDatabase(config: DatabaseConfig): Promise<Db> {
  if (!config.DATABASE_URL) return openSqliteOrExit(config)
  const db = openConfiguredDatabase(config)
  if (await isDatabaseReady(db)) return db
  await db.destroy()
  const { hostname, port, pathname } = new URL(config.DATABASE_URL)
  process.stderr.write(
    `DATABASE_URL: cannot reach PostgreSQL at ${hostname}:${port || 5432} (database ${pathname.slice(1) || '(default)'}). Is it running, and does it accept this host?\n`,
  )
  process.exit(1)
}

function openSqliteOrExit(config: DatabaseConfig): Db {
  try {
    return openConfiguredDatabase(config)
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    process.stderr.write(`DATABASE_PATH: cannot open a database at ${config.DATABASE_PATH} (${reason}). Is it a file in a folder this user may write?\n`)
    process.exit(1)
  }
}
