import type { Compilable } from 'kysely'
import type { Db } from '#shared/db'

/** SQLite's plan of a query exactly as Kysely compiles it, one line per step (`EXPLAIN QUERY PLAN`). */
export async function planOf(db: Db, query: Compilable<unknown>): Promise<string[]> {
  const compiled = query.compile()
  const { rows } = await db.executeQuery<{ detail: string }>({ ...compiled, sql: `explain query plan ${compiled.sql}` })
  return rows.map((row) => row.detail)
}

/**
 * What in a plan makes a query's cost grow with the table rather than with what it returns:
 * - `full scan of T`: every row of T read (`SCAN T` with no index; an FTS table without MATCH);
 * - `index scan of T`: every entry of an index of T read (`SCAN T USING … INDEX`), unless the
 *   query is `walkable`: an unfiltered listing that reads an index in its ORDER BY and stops
 *   at its LIMIT, which is what an index is for;
 * - `sort`: a temporary B-tree for ORDER BY (or GROUP BY, DISTINCT): every match is read and
 *   sorted to return the first few.
 */
export function planProblems(plan: readonly string[], { walkable = false } = {}): string[] {
  const problems: string[] = []
  for (const step of plan) {
    const scan = /^SCAN (\w+)(.*)$/.exec(step)
    if (scan) {
      const [, table, rest] = scan
      if (rest!.startsWith(' VIRTUAL TABLE')) {
        if (!/:M/.test(rest!)) problems.push(`full scan of ${table}`)
      } else if (!/ USING (COVERING )?INDEX /.test(rest!)) problems.push(`full scan of ${table}`)
      else if (!walkable) problems.push(`index scan of ${table}`)
    }
    if (/^USE TEMP B-TREE FOR/.test(step)) problems.push('sort')
  }
  return problems
}
