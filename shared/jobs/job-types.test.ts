import { afterEach, expect, it } from 'vitest'
import type { Db } from '#shared/db'
import { enqueueAnyJob } from './enqueue.server.ts'
import { registerJobTypes } from './job-types.ts'
import { jobsDb } from './test-db.ts'

let db: Db | undefined
afterEach(() => db?.destroy())

it('refuses, as it is queued, a job of a type no domain handles (it failed at each run, a minute on), once the app has said which it handles', async () => {
  db = await jobsDb()
  expect(await enqueueAnyJob(db, 'send-fax', {})).toBeTypeOf('number') // no app: the queue on its own, unchecked
  registerJobTypes(['notify', 'fulfil-order'])
  await expect(enqueueAnyJob(db, 'notfy', {})).rejects.toThrow(
    'enqueueJob: no domain handles job type "notfy" (handled: fulfil-order, notify). A domain handles a type in defineDomain({ jobs }) and declares its payload in #shared/jobs\' Jobs.',
  )
  expect(await db.selectFrom('tessera_jobs').select('type').execute()).toEqual([{ type: 'send-fax' }])
  expect(await enqueueAnyJob(db, 'notify', {})).toBeTypeOf('number')
})
