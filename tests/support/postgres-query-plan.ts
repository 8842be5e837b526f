import type { Compilable } from 'kysely'
import type { Db } from '#shared/db'

/** One step of PostgreSQL's plan (EXPLAIN's JSON): its type, the table or index it reads, and its own steps. */
export type PlanStep = {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  /** What an index is entered with, what a bitmap's rows are checked against, what rows are filtered by: SQL text. */
  'Index Cond'?: string
  'Recheck Cond'?: string
  Filter?: string
  'Sort Key'?: string[]
  Plans?: PlanStep[]
}

/**
 * PostgreSQL's plan of a query exactly as Kysely compiles it, planned for its values (EXPLAIN with
 * the parameters bound, as the app sends them), every step flattened, outermost first.
 */
export async function postgresPlanOf(db: Db, query: Compilable<unknown>): Promise<PlanStep[]> {
  const compiled = query.compile()
  const { rows } = await db.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanStep }] }>({ ...compiled, sql: `explain (format json) ${compiled.sql}` })
  const steps: PlanStep[] = []
  const walk = (step: PlanStep) => {
    steps.push(step)
    for (const child of step.Plans ?? []) walk(child)
  }
  walk(rows[0]!['QUERY PLAN'][0].Plan)
  return steps
}

/** A plan as lines for a failure's message: `Index Scan Backward products_created on products`. */
export const describePlan = (steps: readonly PlanStep[]) =>
  steps.map((step) =>
    [step['Node Type'], step['Index Name'], step['Relation Name'] && `on ${step['Relation Name']}`, step['Sort Key'] && `by ${step['Sort Key'].join(', ')}`]
      .filter(Boolean)
      .join(' '),
  )

/**
 * What in a plan makes a query's cost grow with the table: `full scan of T` (a Seq Scan of T, for
 * T in `tables`: a small table such as categories may be read whole) and `sort` (a Sort: every
 * match is read and sorted to return the first few).
 */
export function postgresPlanProblems(steps: readonly PlanStep[], { tables }: { tables: readonly string[] }): string[] {
  const problems: string[] = []
  for (const step of steps) {
    if (step['Node Type'] === 'Seq Scan' && tables.includes(step['Relation Name']!)) problems.push(`full scan of ${step['Relation Name']}`)
    if (step['Node Type'] === 'Sort' || step['Node Type'] === 'Incremental Sort') problems.push('sort')
  }
  return problems
}
