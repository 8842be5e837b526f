import type { SelectQueryBuilder } from 'kysely'
import type { Database, Db } from '#shared/db'
import type { JobRow } from './tables.server.ts'

export interface ClaimOptions {
  workerId: string
  now: number
  leaseMs: number
}

type DueJob = SelectQueryBuilder<Database, 'tessera_jobs', { id: number }>

/**
 * Claims the job `pick` chooses among the due ones (pending and due, or running with an expired
 * lease), oldest first: one UPDATE … WHERE id = (SELECT …) that counts the attempt and takes the
 * lease. Each dialect's claim module says how the choice is kept from other workers.
 */
export function claimDueJob(db: Db, { workerId, now, leaseMs }: ClaimOptions, pick: (due: DueJob) => DueJob): Promise<JobRow | undefined> {
  return db
    .updateTable('tessera_jobs')
    .set((eb) => ({ status: 'running', locked_by: workerId, locked_until: now + leaseMs, attempts: eb('attempts', '+', 1), updated_at: now }))
    .where('id', '=', (eb) =>
      pick(
        eb
          .selectFrom('tessera_jobs')
          .select('id')
          .where((w) => w.or([w.and([w('status', '=', 'pending'), w('run_at', '<=', now)]), w.and([w('status', '=', 'running'), w('locked_until', '<', now)])]))
          .orderBy('run_at')
          .orderBy('id')
          .limit(1),
      ),
    )
    .returningAll()
    .executeTakeFirst()
}
