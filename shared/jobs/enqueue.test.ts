import { afterEach, describe, expect, it } from 'vitest'
import type { Db } from '#shared/db'
import { enqueueAnyJob } from './enqueue.server.ts'
import { jobsDb, readJob } from './test-db.ts'

let db: Db | undefined
afterEach(() => db?.destroy())

describe('enqueueJob', () => {
  it('commits the job with the caller transaction, pending and due now', async () => {
    db = await jobsDb()
    const before = Date.now()
    const id = await db.transaction().execute((trx) => enqueueAnyJob(trx, 'notify', { orderId: 7 }))
    expect(await readJob(db, id)).toMatchObject({ type: 'notify', payload: '{"orderId":7}', status: 'pending', attempts: 0, max_attempts: 8, locked_by: null })
    expect((await readJob(db, id)).run_at).toBeGreaterThanOrEqual(before)
  })

  it('leaves no job when the caller transaction rolls back', async () => {
    db = await jobsDb()
    const order = db.transaction().execute(async (trx) => {
      await enqueueAnyJob(trx, 'fulfil-order', { orderId: 1 })
      throw new Error('payment declined')
    })
    await expect(order).rejects.toThrow('payment declined')
    expect(await db.selectFrom('tessera_jobs').selectAll().execute()).toEqual([])
  })

  it('takes runAt and maxAttempts', async () => {
    db = await jobsDb()
    const id = await enqueueAnyJob(db, 'fulfil-order', null, { runAt: 1_234, maxAttempts: 2 })
    expect(await readJob(db, id)).toMatchObject({ payload: 'null', run_at: 1_234, max_attempts: 2 })
  })

  it('refuses what it could not run faithfully', async () => {
    db = await jobsDb()
    await expect(enqueueAnyJob(db, 'notify', () => 1)).rejects.toThrow(/not JSON-serialisable/)
    await expect(enqueueAnyJob(db, 'notify', {}, { maxAttempts: 0 })).rejects.toThrow(/maxAttempts/)
    await expect(enqueueAnyJob(db, '', {})).rejects.toThrow(/type/)
    expect(await db.selectFrom('tessera_jobs').selectAll().execute()).toEqual([])
  })
})
