import type SQLite from 'better-sqlite3'

/** The connection as Kysely's driver and `readAtOnce` see it: statements prepared once. */
export type StatementCache = { close(): void; prepare(text: string): SQLite.Statement }

/**
 * Kysely's SQLite driver prepares every query's SQL again; preparing costs more than running a
 * small query. The same SQL text reuses its statement (least recently used beyond `max` go).
 * Safe: Kysely runs one query at a time on the connection.
 */
export function withStatementCache(sqlite: SQLite.Database, max = 500): StatementCache {
  const statements = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = statements.get(text)
      if (statement) statements.delete(text)
      else statement = sqlite.prepare(text)
      statements.set(text, statement)
      if (statements.size > max) statements.delete(statements.keys().next().value!)
      return statement
    },
  }
}
