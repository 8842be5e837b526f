import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Db } from '#shared/db'
import { inLinkedSpan } from '#shared/tracing'
import { exponentialBackoff } from './backoff.ts'
import { errorText, isBusy, nothingWhenBusy } from './errors.ts'
import { claimNextJob, extendLease, settleJob, type JobClaim, type JobOutcome } from './job-queries.server.ts'
import { queueNow } from './queue-clock.server.ts'
import type { JobRow } from './tables.server.ts'
import { MAX_POLL_BACKOFF_MS, type JobInfo, type JobWorker, type JobWorkerOptions } from './worker-options.ts'

/**
 * The in-process worker of the job queue (see `enqueueJob`): claims due jobs one at a time, runs
 * their handler and retries failures with backoff. Any number of workers, in any number of
 * processes sharing the database, may run: each job is claimed by one, and taken over by another
 * only when its claim's lease runs out (its process died).
 * @example
 * const worker = createJobWorker(db, { handlers: { notify: sendNotification }, onError: (err, job) => log.error('job', { err, job }) })
 * worker.start()
 * process.on('SIGTERM', () => void worker.stop())
 */
export function createJobWorker(db: Db, options: JobWorkerOptions): JobWorker {
  const { handlers, pollMs = 250, leaseMs = 60_000, backoffMs = exponentialBackoff, now = () => queueNow(db), onError = reportToConsole } = options
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
  let draining: Promise<number> | undefined
  let timer: NodeJS.Timeout | undefined
  let generation = 0
  let started = false
  let stopping = false
  let failedPolls = 0

  // onError and onPollsResumed are the caller's code: if they throw, the worker must still not.
  const tell = (callback: () => void) => {
    try {
      callback()
    } catch {}
  }
  const report = (error: unknown, job: JobInfo | undefined) => tell(() => onError(error, job))

  async function drain(): Promise<number> {
    let ran = 0
    while (!stopping) {
      const job = await claimNextJob(db, { workerId, now: now(), leaseMs }).catch(nothingWhenBusy)
      if (!job) break
      await run(job)
      ran++
    }
    return ran
  }

  async function run(job: JobRow): Promise<void> {
    const claim: JobClaim = { id: job.id, workerId, attempt: job.attempts }
    const info: JobInfo = { id: job.id, type: job.type, attempt: job.attempts }
    const outcome = await attempt(job, claim, info)
    try {
      if (!(await settleJob(db, claim, outcome, now())))
        report(new Error(`Job ${job.id}: its lease ran out before it finished; another worker took it over`), info)
    } catch (error) {
      // Left running: once its lease runs out, a worker takes it again.
      report(error, info)
    }
  }

  async function attempt(job: JobRow, claim: JobClaim, info: JobInfo): Promise<JobOutcome> {
    // Re-claimed after a crash during its last attempt: a job that kills its process stops here.
    if (job.attempts > job.max_attempts)
      return { status: 'failed', error: `Its worker stopped during attempt ${job.max_attempts} of ${job.max_attempts} (lease expired)` }
    const lease = setInterval(
      () => void extendLease(db, claim, now() + leaseMs, now()).catch((error: unknown) => void (isBusy(error) || report(error, info))),
      Math.max(1, Math.floor(leaseMs / 3)),
    )
    lease.unref()
    try {
      const handler = Object.hasOwn(handlers, job.type) ? handlers[job.type] : undefined
      if (!handler) throw new Error(`No handler for job type "${job.type}" (known: ${Object.keys(handlers).join(', ') || 'none'})`)
      // With tracing on: a trace of its own, linked to the request that queued it (even from another process, later).
      await inLinkedSpan(`job ${job.type}`, { 'tessera.job.id': job.id, 'tessera.job.attempt': job.attempts }, job.trace_context, () =>
        handler(JSON.parse(job.payload) as unknown, { id: job.id, attempt: job.attempts }),
      )
      return { status: 'done' }
    } catch (error) {
      report(error, info)
      const text = errorText(error)
      if (job.attempts >= job.max_attempts) return { status: 'failed', error: text }
      return { status: 'pending', error: text, runAt: now() + retryDelay(job.attempts, info) }
    } finally {
      clearInterval(lease)
    }
  }

  // A throwing or nonsensical backoff must not leave the job stuck in 'running': retry at once.
  function retryDelay(attempt: number, info: JobInfo): number {
    try {
      const delay = backoffMs(attempt)
      return Number.isFinite(delay) && delay > 0 ? Math.round(delay) : 0
    } catch (error) {
      report(error, info)
      return 0
    }
  }

  function runDue(): Promise<number> {
    // One drain at a time per worker: the timer and a direct call must not run side by side.
    draining ??= drain().finally(() => void (draining = undefined))
    return draining
  }

  // A poll failing again and again (the database away) is said once, not at every poll, and the
  // polls wait longer and longer; one succeeding again says so.
  async function poll(): Promise<void> {
    try {
      await runDue()
      if (failedPolls > 0) tell(() => options.onPollsResumed?.(failedPolls))
      failedPolls = 0
    } catch (error) {
      if (failedPolls++ === 0) report(error, undefined)
    }
  }

  // Each start() begins a new generation: a poll of an earlier one, finishing late, schedules nothing.
  function schedule(delayMs: number, current: number): void {
    if (current !== generation) return
    timer = setTimeout(() => {
      timer = undefined
      void poll().finally(() => schedule(failedPolls === 0 ? pollMs : Math.max(pollMs, Math.min(MAX_POLL_BACKOFF_MS, pollMs * 2 ** failedPolls)), current))
    }, delayMs)
    // Polling alone must not keep the process alive, e.g. during a graceful shutdown.
    timer.unref()
  }

  return {
    start() {
      if (started) return
      started = true
      schedule(0, ++generation)
    },
    async stop() {
      started = false
      generation++
      clearTimeout(timer)
      timer = undefined
      stopping = true
      try {
        await draining?.catch(() => undefined)
      } finally {
        stopping = false
      }
    },
    runDue,
  }
}

function reportToConsole(error: unknown, job: JobInfo | undefined): void {
  console.error(job ? `Jobs: job ${job.id} (${job.type}), attempt ${job.attempt}, failed` : 'Jobs: polling for due jobs failed', error)
}
