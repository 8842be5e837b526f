import type SQLite from 'better-sqlite3'
import type { Db } from './database.server.ts'
import type { StatementCache } from './statement-cache.server.ts'

/** Each database's SQLite connection, for `readAtOnce`. */
const connections = new WeakMap<Db, { sqlite: SQLite.Database; statements: StatementCache }>()

/**
 * Runs a read on the database's SQLite connection right away, without Kysely's driver: its
 * connection lock and promise hops cost ~5% of a catalogue page under load (measured), for
 * statements that run synchronously anyway. Safe only outside transactions, so it answers
 * undefined (and the caller goes through Kysely) when `db` is a transaction (whose own writes
 * must be seen), when a transaction is open on the connection (whose uncommitted writes must not
 * be: Kysely's lock makes the read wait for it), or when the SQL writes (`RETURNING` included).
 */
export function readAtOnce<Row>(db: Db, sql: string, parameters: readonly unknown[]): Row[] | undefined {
  const connection = connections.get(db)
  if (!connection || connection.sqlite.inTransaction) return undefined
  const statement = connection.statements.prepare(sql)
  return statement.readonly ? (statement.all(parameters) as Row[]) : undefined
}

/** Makes `readAtOnce` possible on this database (openDatabase does, for every database it opens). */
export function registerConnection(db: Db, connection: { sqlite: SQLite.Database; statements: StatementCache }): void {
  connections.set(db, connection)
}
