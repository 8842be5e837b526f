import type { Generated, Selectable } from 'kysely'

export type JobStatus = 'pending' | 'running' | 'done' | 'failed'

/** The outbox: one row per job, written in the transaction of the change that asked for it. */
export interface JobsTable {
  // AUTOINCREMENT: ids are never reused, so a job id in a log or a handler's records stays unique.
  id: Generated<number>
  type: string
  /** JSON. */
  payload: string
  status: JobStatus
  /** Attempts started so far, counted when a worker claims the job (a crash counts too). */
  attempts: number
  max_attempts: number
  /** When the job is due, milliseconds since the epoch. */
  run_at: number
  /** While running: the claim is the worker's until then; after it, another worker may take over. */
  locked_until: number | null
  locked_by: string | null
  last_error: string | null
  /** The traceparent of the span that queued it, when tracing was on: the run links to it. */
  trace_context: string | null
  /** Milliseconds since the epoch. */
  created_at: number
  updated_at: number
}

export type JobRow = Selectable<JobsTable>

declare module '#shared/db' {
  interface Database {
    tessera_jobs: JobsTable
  }
}
