import type { Jobs } from './job-types.ts'

/** Runs one job. It may run again after a crash (at least once): make it harmless to repeat. */
export type JobHandler = (payload: unknown, job: { id: number; attempt: number }) => Promise<void>

/**
 * A domain's handlers by job type (`defineDomain({ jobs })`): write them `{ … } satisfies
 * JobHandlers`, and a handler for a type no domain declares in `Jobs` (a misspelt one) does not compile.
 */
export type JobHandlers = { [Type in keyof Jobs]?: JobHandler }

/** The job an error is about, if any (a failed poll has none). */
export interface JobInfo {
  id: number
  type: string
  attempt: number
}

export interface JobWorkerOptions {
  handlers: Record<string, JobHandler>
  /** How often `start()` looks for due jobs when there were none. */
  pollMs?: number
  /** How long a claim lasts without renewal; renewed every third of it while the handler runs. */
  leaseMs?: number
  /** The wait after failed attempt n (1-based) before the next. */
  backoffMs?: (attempt: number) => number
  /** The queue's clock: `queueNow` (the database's on PostgreSQL, so hosts agree) unless a test sets one. */
  now?: () => number
  /** Unique per worker; recorded in `locked_by`. */
  workerId?: string
  /**
   * Where failed attempts and failed timed polls go; the worker keeps going either way. Polls that
   * keep failing (the database away) are one report, the first: the next polls wait longer, up to
   * `MAX_POLL_BACKOFF_MS`, and `onPollsResumed` says when one succeeds again.
   */
  onError?: (error: unknown, job: JobInfo | undefined) => void
  /** A timed poll succeeded after `failedPolls` failed ones in a row. */
  onPollsResumed?: (failedPolls: number) => void
}

/** The longest wait between polls while they fail. */
export const MAX_POLL_BACKOFF_MS = 5_000

export interface JobWorker {
  /** Polls for due jobs until `stop()`. Does not keep the process alive on its own. */
  start(): void
  /** Stops polling; resolves once the job in hand (if any) is settled. */
  stop(): Promise<void>
  /** Claims and runs every due job now, one at a time; resolves to how many ran. Joins a run already going. */
  runDue(): Promise<number>
}
