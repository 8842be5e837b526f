import { sql } from 'kysely'
import type { Db } from '#shared/db'
import type { SearchBudget, SearchStep } from './search.server.ts'
import { searchTooBroad } from './search-too-broad.ts'

/** PostgreSQL's code for a statement ended by a statement_timeout, or cancelled (pg_cancel_backend, an operator's Ctrl-C). */
const QUERY_CANCELED = '57014'

/**
 * A search's queries (`work`, each through its `step`) in one transaction, all of them within
 * what is left of `searchTimeoutMs` (less what the search's other bounded parts spent: `spentMs`,
 * which this adds to), counted from the first: before each query the transaction's statement_timeout is set
 * (set_config(…, true) is SET LOCAL, which takes no parameter) to what is left, so a search whose
 * first look and GIN walk each come near the bound cannot take twice it. Never past the
 * connection's own (`queryTimeoutMs`, DATABASE_QUERY_TIMEOUT_MS): where that is the shorter, it
 * is the one set, and its end is the database's trouble, as anywhere else (503).
 *
 * 57014 says only that the statement was cancelled: by this bound, by the connection's
 * statement_timeout or by an operator (pg_cancel_backend). It is "too broad" (422) only when the
 * bound was the timeout set and the search's time is up: the server ends a statement `left` ms
 * after it began, which is after `left` was worked out here, so past the deadline by this clock.
 */
export async function boundedSearch<T>(db: Db, budget: SearchBudget, work: (step: SearchStep) => Promise<T>): Promise<T> {
  const { searchTimeoutMs, queryTimeoutMs } = budget
  if (!searchTimeoutMs) return work((query) => query(db))
  if (budget.spentMs >= searchTimeoutMs) throw searchTooBroad()
  return db.transaction().execute(async (trx) => {
    // From the transaction's start: waiting for a pooled connection is not the search's cost.
    const start = performance.now()
    const deadline = start + searchTimeoutMs - budget.spentMs
    try {
      return await work(async (query) => {
        const left = Math.ceil(deadline - performance.now())
        if (left <= 0) throw searchTooBroad()
        const ownBound = !queryTimeoutMs || left < queryTimeoutMs
        await sql`select set_config('statement_timeout', ${String(ownBound ? left : queryTimeoutMs)}, true)`.execute(trx)
        try {
          return await query(trx)
        } catch (error) {
          const timedOut = ownBound && (error as { code?: unknown }).code === QUERY_CANCELED && performance.now() >= deadline
          throw timedOut ? searchTooBroad() : error
        }
      })
    } finally {
      budget.spentMs += performance.now() - start
    }
  })
}
