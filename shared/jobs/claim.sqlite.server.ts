import type { Db } from '#shared/db'
import { claimDueJob, type ClaimOptions } from './due-jobs.server.ts'
import type { JobRow } from './tables.server.ts'

/**
 * SQLite: the plain statement is enough. An UPDATE holds the database's write lock from its first
 * read, so the subquery and the update see the same rows and two processes can never take the
 * same job (the loser waits for the lock, then finds it taken; past the wait, SQLITE_BUSY is
 * "nothing this time").
 */
export function claimSqlite(db: Db, claim: ClaimOptions): Promise<JobRow | undefined> {
  return claimDueJob(db, claim, (due) => due)
}
