import type { UpdateQueryBuilder, UpdateResult } from 'kysely'
import type { Database, Db } from '#shared/db'
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
 * Takes the next due job (pending and due, or running with an expired lease) in ONE statement.
 * SQLite runs an UPDATE under the database's write lock from its first read, so the subquery and
 * the update see the same rows and two processes can never take the same job.
 */
export async function claimNextJob(db: Db, { workerId, now, leaseMs }: { workerId: string; now: number; leaseMs: number }): Promise<JobRow | undefined> {
  return db
    .updateTable(table)
    .set((eb) => ({ status: 'running', locked_by: workerId, locked_until: now + leaseMs, attempts: eb('attempts', '+', 1), updated_at: now }))
    .where('id', '=', (eb) =>
      eb
        .selectFrom(table)
        .select('id')
        .where((w) =>
          w.or([
            w.and([w('status', '=', 'pending'), w('run_at', '<=', now)]),
            w.and([w('status', '=', 'running'), w('locked_until', '<', now)]),
          ]),
        )
        .orderBy('run_at')
        .orderBy('id')
        .limit(1),
    )
    .returningAll()
    .executeTakeFirst()
}

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
