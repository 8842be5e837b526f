import { Transaction, type Kysely } from 'kysely'
import type { Database } from '#shared/db'

export interface RecordedInvalidations {
  /** Drop every page tagged with one of these, e.g. `product:12`. */
  tags?: readonly string[]
  /** Drop every page rendered for one of these paths (all their query variants). */
  paths?: readonly string[]
}

/** What each open transaction has recorded already, so a tag is written once per transaction. */
const recordedIn = new WeakMap<Transaction<Database>, Set<string>>()

/**
 * Records page-cache invalidations in the caller's transaction, for a service that has no request
 * at hand (a checkout, a job): they commit, or roll back, with the change that made them, so a
 * crash between the change and the invalidation cannot leave a page outdated for its whole
 * stale window. Every process applies them at its next poll (`PAGE_CACHE_SYNC_MS`), this one too;
 * a request handler calls `syncPageCache(c)` (`#shared/http`) to apply them here before answering.
 * A tag or path recorded again in the same transaction is written once.
 * @example
 * await db.transaction().execute(async (trx) => {
 *   await trx.updateTable('products').set({ stock: 0 }).where('id', '=', 12).execute()
 *   await recordInvalidations(trx, { tags: ['product:12'] })
 * })
 */
export async function recordInvalidations(executor: Kysely<Database> | Transaction<Database>, { tags = [], paths = [] }: RecordedInvalidations): Promise<void> {
  const seen = executor instanceof Transaction ? seenIn(executor) : new Set<string>()
  const created_at = Date.now()
  const rows = [...tags.map((value) => ({ kind: 'tag' as const, value })), ...paths.map((value) => ({ kind: 'path' as const, value }))].filter(
    ({ kind, value }) => {
      const key = `${kind} ${value}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    },
  )
  if (rows.length > 0)
    await executor
      .insertInto('tessera_cache_invalidations')
      .values(rows.map((row) => ({ ...row, created_at })))
      .execute()
}

function seenIn(trx: Transaction<Database>): Set<string> {
  let seen = recordedIn.get(trx)
  if (!seen) recordedIn.set(trx, (seen = new Set()))
  return seen
}
