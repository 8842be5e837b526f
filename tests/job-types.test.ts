import { afterAll, beforeAll, expect, it } from 'vitest'
import { enqueueJob } from '#shared/jobs'
import { createTestApp } from './support/test-app.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  testApp = await createTestApp()
})
afterAll(() => testApp.close())

it('refuses to queue a job no domain handles, naming it and the types there are (it was queued, then failed at every run)', async () => {
  // @ts-expect-error a misspelt type does not compile either
  const misspelt = enqueueJob(testApp.db, 'notfy', { userId: 1, orderId: null, message: 'Hello' })
  await expect(misspelt).rejects.toThrow('enqueueJob: no domain handles job type "notfy" (handled: ')
  await expect(misspelt).rejects.toThrow(/expire-pending-order, fulfil-order, notify, refund-order/)
  expect(await testApp.db.selectFrom('tessera_jobs').select('type').execute()).toEqual([])
  expect(await enqueueJob(testApp.db, 'notify', { userId: 1, orderId: null, message: 'Hello' })).toBeTypeOf('number')
})
