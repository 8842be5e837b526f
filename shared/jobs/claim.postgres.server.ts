import type { Db } from '#shared/db'
import { claimDueJob, type ClaimOptions } from './due-jobs.server.ts'
import type { JobRow } from './tables.server.ts'

/**
 * PostgreSQL: the subquery locks the row it picks (FOR UPDATE) and passes over rows another
 * worker's claim holds (SKIP LOCKED), so concurrent claims on any number of hosts take different
 * jobs without waiting for each other. Without the lock, two claims would pick the same id and
 * both update it: the outer UPDATE re-checks only `id =`, not whether the job is still due.
 */
export function claimPostgres(db: Db, claim: ClaimOptions): Promise<JobRow | undefined> {
  return claimDueJob(db, claim, (due) => due.forUpdate().skipLocked())
}
