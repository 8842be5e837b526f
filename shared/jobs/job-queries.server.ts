import type { UpdateQueryBuilder, UpdateResult } from 'kysely'
import { dialectOf, type Database, type Db, type Dialect } from '#shared/db'
import { claimPostgres } from './claim.postgres.server.ts'
import { claimSqlite } from './claim.sqlite.server.ts'
import type { ClaimOptions } from './due-jobs.server.ts'
import type { JobRow, JobStatus } from './tables.server.ts'

const table = 'tessera_jobs'

type JobsUpdate = UpdateQueryBuilder<Database, typeof table, typeof table, UpdateResult>

/** Who holds a job, and for which attempt: a worker whose lease ran out must not touch it again. */
export interface JobClaim {
  id: number
  workerId: string
  attempt: number
}

/**
 * Takes the next due job (pending and due, or running with an expired lease) in ONE statement,
 * the way the database's dialect makes that safe between processes and hosts (claim.<dialect>.server.ts).
 */
export function claimNextJob(db: Db, claim: ClaimOptions): Promise<JobRow | undefined> {
  return claimIn[dialectOf(db)](db, claim)
}

const claimIn: Record<Dialect, typeof claimSqlite> = { sqlite: claimSqlite, postgres: claimPostgres }

/** Keeps a long job ours. False when the lease was already lost to another worker. */
export async function extendLease(db: Db, claim: JobClaim, lockedUntil: number, now: number): Promise<boolean> {
  const result = await stillHeld(db.updateTable(table).set({ locked_until: lockedUntil, updated_at: now }), claim).executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export type JobOutcome =
  | { status: Extract<JobStatus, 'done'> }
  | { status: Extract<JobStatus, 'failed'>; error: string }
  | { status: Extract<JobStatus, 'pending'>; error: string; runAt: number }

/** Records how an attempt ended. False when the lease was lost meanwhile: the other worker's result stands. */
export async function settleJob(db: Db, claim: JobClaim, outcome: JobOutcome, now: number): Promise<boolean> {
  const result = await stillHeld(
    db.updateTable(table).set({
      status: outcome.status,
      locked_by: null,
      locked_until: null,
      updated_at: now,
      ...(outcome.status === 'done' ? {} : { last_error: outcome.error }),
      ...(outcome.status === 'pending' ? { run_at: outcome.runAt } : {}),
    }),
    claim,
  ).executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** The claim's attempt number is its fencing token: a re-claim by another worker increments it. */
function stillHeld(query: JobsUpdate, { id, workerId, attempt }: JobClaim): JobsUpdate {
  return query.where('id', '=', id).where('status', '=', 'running').where('locked_by', '=', workerId).where('attempts', '=', attempt)
}

/** Jobs waiting or running: the queue depth monitoring shows. */
export async function jobQueueDepth(db: Db): Promise<number> {
  const row = await db
    .selectFrom('tessera_jobs')
    .select((eb) => eb.fn.countAll<number>().as('depth'))
    .where('status', 'in', ['pending', 'running'])
    .executeTakeFirstOrThrow()
  return Number(row.depth)
}

/** What a forgotten payload reads as: `{}`. */
export const FORGOTTEN_PAYLOAD = '{}'

/**
 * Empties a job's payload (to `{}`) once its handler needs it no more: the queue keeps done jobs,
 * and a payload may hold what the store must not keep (an address typed by anyone). A handler
 * calls it as its last step, and takes `{}` as a run already done (a repeat after a crash).
 */
export async function forgetJobPayload(db: Db, jobId: number): Promise<void> {
  await db.updateTable(table).set({ payload: FORGOTTEN_PAYLOAD }).where('id', '=', jobId).execute()
}
