import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Db } from '#shared/db'
import { enqueueAnyJob } from './enqueue.server.ts'
import { jobsDb, readJob } from './test-db.ts'
import type { JobHandler, JobWorkerOptions } from './worker-options.ts'
import { createJobWorker } from './worker.server.ts'

let db: Db
let time: number
afterEach(() => db?.destroy())

/** A worker on a clock the test moves (`time`), with deterministic backoff: 1 s, 2 s, 4 s… */
async function setup(handlers: Record<string, JobHandler>, options: Partial<JobWorkerOptions> = {}) {
  db = await jobsDb()
  time = 1_000_000
  const onError = vi.fn()
  const worker = createJobWorker(db, { handlers, now: () => time, backoffMs: (n) => 1_000 * 2 ** (n - 1), onError, ...options })
  return {
    worker,
    onError,
    enqueue: (type: string, payload: unknown = {}, maxAttempts?: number) => enqueueAnyJob(db, type, payload, { runAt: time, maxAttempts }),
  }
}

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

describe('createJobWorker', () => {
  it('runs a job once, with its payload, and marks it done', async () => {
    const notify = vi.fn<JobHandler>(async () => {})
    const { worker, enqueue } = await setup({ notify })
    const id = await enqueue('notify', { orderId: 7 })
    expect(await worker.runDue()).toBe(1)
    expect(await worker.runDue()).toBe(0)
    expect(notify).toHaveBeenCalledExactlyOnceWith({ orderId: 7 }, { id, attempt: 1 })
    expect(await readJob(db, id)).toMatchObject({ status: 'done', attempts: 1, locked_by: null, locked_until: null, last_error: null })
  })

  it('does not run a job before its runAt', async () => {
    const notify = vi.fn<JobHandler>(async () => {})
    const { worker } = await setup({ notify })
    await enqueueAnyJob(db, 'notify', {}, { runAt: time + 5_000 })
    expect(await worker.runDue()).toBe(0)
    time += 5_000
    expect(await worker.runDue()).toBe(1)
  })

  it('retries a failing job with backoff, then marks it failed with the last error', async () => {
    let calls = 0
    const { worker, enqueue, onError } = await setup({ 'fulfil-order': async () => Promise.reject(new Error(`warehouse down (${++calls})`)) })
    const id = await enqueue('fulfil-order', {}, 3)
    expect(await worker.runDue()).toBe(1)
    expect(await readJob(db, id)).toMatchObject({ status: 'pending', attempts: 1, run_at: time + 1_000, last_error: 'warehouse down (1)' })
    time += 999
    expect(await worker.runDue()).toBe(0)
    time += 1
    expect(await worker.runDue()).toBe(1)
    expect(await readJob(db, id)).toMatchObject({ status: 'pending', attempts: 2, run_at: time + 2_000 })
    time += 2_000
    expect(await worker.runDue()).toBe(1)
    expect(await readJob(db, id)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'warehouse down (3)', locked_by: null })
    time += 60 * 60_000
    expect(await worker.runDue()).toBe(0)
    expect(onError).toHaveBeenCalledTimes(3)
    expect(onError).toHaveBeenLastCalledWith(expect.objectContaining({ message: 'warehouse down (3)' }), { id, type: 'fulfil-order', attempt: 3 })
  })

  it('fails a job whose type has no handler, counting the attempt', async () => {
    const { worker, enqueue } = await setup({ notify: async () => {} })
    const retried = await enqueue('send-fax')
    const last = await enqueue('send-fax', {}, 1)
    expect(await worker.runDue()).toBe(2)
    expect(await readJob(db, retried)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: expect.stringMatching(/No handler for job type "send-fax"/),
    })
    expect(await readJob(db, last)).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringMatching(/No handler for job type "send-fax"/) })
  })

  it('takes over a job whose worker died (lease expired), not one whose lease still runs', async () => {
    const notify = vi.fn<JobHandler>(async () => {})
    const { worker, enqueue } = await setup({ notify }, { workerId: 'alive' })
    const crashed = await enqueue('notify')
    const busy = await enqueue('notify')
    // As a claim from another process leaves them: one expired a millisecond ago, one still held.
    await db
      .updateTable('tessera_jobs')
      .set({ status: 'running', attempts: 1, locked_by: 'dead', locked_until: time - 1 })
      .where('id', '=', crashed)
      .execute()
    await db
      .updateTable('tessera_jobs')
      .set({ status: 'running', attempts: 1, locked_by: 'other', locked_until: time + 1 })
      .where('id', '=', busy)
      .execute()
    expect(await worker.runDue()).toBe(1)
    expect(notify).toHaveBeenCalledExactlyOnceWith({}, { id: crashed, attempt: 2 })
    expect(await readJob(db, crashed)).toMatchObject({ status: 'done', attempts: 2 })
    expect(await readJob(db, busy)).toMatchObject({ status: 'running', locked_by: 'other' })
  })

  it('fails, without running it, a job whose worker died during its last attempt', async () => {
    const notify = vi.fn<JobHandler>(async () => {})
    const { worker, enqueue } = await setup({ notify })
    const id = await enqueue('notify', {}, 2)
    await db
      .updateTable('tessera_jobs')
      .set({ status: 'running', attempts: 2, locked_by: 'dead', locked_until: time - 1 })
      .where('id', '=', id)
      .execute()
    expect(await worker.runDue()).toBe(1)
    expect(notify).not.toHaveBeenCalled()
    expect(await readJob(db, id)).toMatchObject({ status: 'failed', attempts: 3, last_error: expect.stringMatching(/lease expired/) })
  })

  it('renews the lease of a job running longer than it, so no other worker takes it', async () => {
    db = await jobsDb()
    const finish = deferred()
    const slow = vi.fn<JobHandler>(() => finish.promise)
    const first = createJobWorker(db, { handlers: { slow }, leaseMs: 30 })
    const second = createJobWorker(db, { handlers: { slow: async () => {} }, leaseMs: 30 })
    const id = await enqueueAnyJob(db, 'slow', {})
    const running = first.runDue()
    await new Promise((resolve) => setTimeout(resolve, 120))
    expect(await second.runDue()).toBe(0)
    finish.resolve()
    expect(await running).toBe(1)
    expect(slow).toHaveBeenCalledTimes(1)
    expect(await readJob(db, id)).toMatchObject({ status: 'done', attempts: 1 })
  })
})
