import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { testDialect, type Db } from '#shared/db'
import { enqueueAnyJob } from './enqueue.server.ts'
import { jobsDb, readJob } from './test-db.ts'
import type { JobHandler } from './worker-options.ts'
import { createJobWorker } from './worker.server.ts'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function memoryDb(): Promise<Db> {
  const db = await jobsDb()
  cleanups.push(() => db.destroy())
  return db
}

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('a started job worker', () => {
  it('keeps polling after a handler throws, and reports it', async () => {
    const db = await memoryDb()
    const ran: string[] = []
    const onError = vi.fn()
    const worker = createJobWorker(db, {
      handlers: { boom: async () => Promise.reject('not even an Error'), ok: async (payload) => void ran.push(String(payload)) },
      pollMs: 5,
      onError,
    })
    cleanups.push(() => worker.stop())
    const failing = await enqueueAnyJob(db, 'boom', null, { maxAttempts: 1 })
    worker.start()
    await vi.waitFor(async () => expect((await readJob(db, failing)).status).toBe('failed'))
    await enqueueAnyJob(db, 'ok', 'later')
    await vi.waitFor(() => expect(ran).toEqual(['later']))
    expect(onError).toHaveBeenCalledExactlyOnceWith('not even an Error', { id: failing, type: 'boom', attempt: 1 })
    expect((await readJob(db, failing)).last_error).toBe('not even an Error')
  })

  it('says once that its polls fail while they do (the database away), polls less often, and says when they work again', async () => {
    const db = await memoryDb()
    const onError = vi.fn()
    const onPollsResumed = vi.fn()
    await db.schema.alterTable('tessera_jobs').renameTo('tessera_jobs_away').execute()
    const worker = createJobWorker(db, { handlers: {}, pollMs: 5, onError, onPollsResumed })
    cleanups.push(() => worker.stop())
    worker.start()
    await pause(300)
    expect(onError).toHaveBeenCalledOnce()
    // About no job. SQLite: no such table; PostgreSQL: relation … does not exist.
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/no such table|does not exist/) }), undefined)
    await db.schema.alterTable('tessera_jobs_away').renameTo('tessera_jobs').execute()
    await vi.waitFor(() => expect(onPollsResumed).toHaveBeenCalledOnce(), { timeout: 6_000 })
    // Waits of 10, 20, 40… ms: a handful of polls in those 300 ms, where every 5 ms would be 60.
    expect(onPollsResumed.mock.calls[0]![0]).toBeGreaterThan(1)
    expect(onPollsResumed.mock.calls[0]![0]).toBeLessThan(15)
    expect(onError).toHaveBeenCalledOnce()
    const id = await enqueueAnyJob(db, 'unknown', null, { maxAttempts: 1 }) // and it polls at its pace again
    await vi.waitFor(async () => expect((await readJob(db, id)).status).toBe('failed'), { timeout: 1_000 })
  })

  it('stop() waits for the job in hand, then polls no more', async () => {
    const db = await memoryDb()
    const started = deferred()
    const finish = deferred()
    const slow = vi.fn<JobHandler>(async () => {
      started.resolve()
      await finish.promise
    })
    const worker = createJobWorker(db, { handlers: { slow }, pollMs: 5 })
    const id = await enqueueAnyJob(db, 'slow', {})
    worker.start()
    await started.promise
    let stopped = false
    const stopping = worker.stop().then(() => void (stopped = true))
    await pause(20)
    expect(stopped).toBe(false)
    finish.resolve()
    await stopping
    expect(await readJob(db, id)).toMatchObject({ status: 'done' })
    const next = await enqueueAnyJob(db, 'slow', {})
    await pause(30)
    expect(await readJob(db, next)).toMatchObject({ status: 'pending' })
    expect(slow).toHaveBeenCalledTimes(1)
  })
})

describe('createJobWorker with a shared database', () => {
  // SQLite's own behaviour: one writer at a time, the others wait their turn (PostgreSQL's twin below).
  it.skipIf(testDialect !== 'sqlite')('waits for another process’s write lock, then claims', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-jobs-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const db = await jobsDb(join(dir, 'jobs.db'))
    const other = await jobsDb(join(dir, 'jobs.db'))
    cleanups.push(
      () => db.destroy(),
      () => other.destroy(),
    )
    const onError = vi.fn()
    const worker = createJobWorker(db, { handlers: { notify: async () => {} }, onError })
    await enqueueAnyJob(db, 'notify', {})
    const release = deferred()
    const held = deferred()
    const holding = other.transaction().execute(async (trx) => {
      await enqueueAnyJob(trx, 'notify', {})
      held.resolve()
      await release.promise
    })
    await held.promise
    const running = worker.runDue()
    await new Promise((resolve) => setTimeout(resolve, 50))
    release.resolve()
    await holding
    expect(await running).toBe(2)
    expect(onError).not.toHaveBeenCalled()
  })

  // PostgreSQL's own behaviour: row locks, and a claim skips the rows another transaction holds.
  it.skipIf(testDialect !== 'postgres')('passes over a job another connection holds locked, without waiting for it', async () => {
    const db = await memoryDb()
    const onError = vi.fn()
    const ran: number[] = []
    const worker = createJobWorker(db, { handlers: { notify: async (_payload, job) => void ran.push(job.id) }, onError })
    const held = await enqueueAnyJob(db, 'notify', {})
    const free = await enqueueAnyJob(db, 'notify', {})
    const release = deferred()
    const locked = deferred()
    // As another host's claim in flight holds it: the row locked until that transaction ends.
    const holding = db.transaction().execute(async (trx) => {
      await trx.selectFrom('tessera_jobs').select('id').where('id', '=', held).forUpdate().execute()
      locked.resolve()
      await release.promise
    })
    await locked.promise
    expect(await worker.runDue()).toBe(1)
    expect(ran).toEqual([free])
    release.resolve()
    await holding
    expect(await worker.runDue()).toBe(1)
    expect(ran).toEqual([free, held])
    expect(onError).not.toHaveBeenCalled()
  })

  it('leaves a job alone once another worker took it over, and says so', async () => {
    const db = await memoryDb()
    const finish = deferred()
    const onError = vi.fn()
    const worker = createJobWorker(db, { handlers: { slow: () => finish.promise }, workerId: 'late', onError })
    const id = await enqueueAnyJob(db, 'slow', {})
    const running = worker.runDue()
    await vi.waitFor(async () => expect((await readJob(db, id)).locked_by).toBe('late'))
    // As another worker's claim after this one's lease expired would leave it.
    await db.updateTable('tessera_jobs').set({ locked_by: 'other', attempts: 2 }).where('id', '=', id).execute()
    finish.resolve()
    await running
    expect(await readJob(db, id)).toMatchObject({ status: 'running', locked_by: 'other', attempts: 2 })
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/lease ran out/) }), expect.objectContaining({ id }))
  })
})
