import type SQLite from 'better-sqlite3'
import { inChildSpan, tracingOn } from '#shared/tracing'

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
      return tracingOn() ? traced(statement) : statement
    },
  }
}

/**
 * With tracing on: the statement's runs each in a span with its SQL (never its values) and the
 * rows it returned or changed, inside the request's or job's trace (a poll's make none). Runs are synchronous, so the span is exactly the query's time and
 * a child of whatever span asked for it.
 */
function traced(statement: SQLite.Statement): SQLite.Statement {
  const attributes = { 'db.system': 'sqlite', 'db.statement': statement.source }
  return new Proxy(statement, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key)
      if ((key !== 'all' && key !== 'get' && key !== 'run') || typeof value !== 'function') return value
      return (...args: unknown[]) =>
        inChildSpan('sql', attributes, (span) => {
          const result: unknown = value.apply(target, args)
          span.setAttribute(
            'db.rows',
            Array.isArray(result)
              ? result.length
              : result && typeof result === 'object' && 'changes' in result
                ? Number(result.changes)
                : result === undefined
                  ? 0
                  : 1,
          )
          return result
        })
    },
  })
}
