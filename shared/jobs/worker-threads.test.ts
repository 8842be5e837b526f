import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { enqueueAnyJob } from './enqueue.server.ts'
import { testDatabaseLocation } from '#shared/db'
import { jobsDb } from './test-db.ts'
import { startTsWorker } from '../../tests/support/ts-worker.ts'

interface Report {
  ran: number[]
  errors: string[]
}

describe('job workers in several processes', () => {
  it('run each job exactly once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-jobs-'))
    const location = await testDatabaseLocation(dir)
    const db = await jobsDb(location)
    try {
      const ids = await db.transaction().execute(async (trx) => {
        const queued: number[] = []
        for (let i = 0; i < 60; i++) queued.push(await enqueueAnyJob(trx, 'record', { i }))
        return queued
      })
      // Three threads, each its own connection (as three processes or hosts would have), started together.
      const threads = ['a', 'b', 'c'].map((name) => startWorker(location, name))
      await Promise.all(threads.map((thread) => thread.ready))
      for (const thread of threads) thread.worker.postMessage('go')
      const reports = await Promise.all(threads.map((thread) => thread.done))

      expect(reports.flatMap((report) => report.errors)).toEqual([])
      const ran = reports.flatMap((report) => report.ran)
      expect(ran.toSorted((a, b) => a - b)).toEqual(ids)
      const rows = await db.selectFrom('tessera_jobs').select(['status', 'attempts']).execute()
      expect(rows.every((row) => row.status === 'done' && row.attempts === 1)).toBe(true)
    } finally {
      await db.destroy()
      await rm(dir, { recursive: true, force: true })
    }
  }, 30_000)
})

function startWorker(location: string, name: string) {
  const worker = startTsWorker(new URL('./claim.worker-fixture.ts', import.meta.url), { location, name })
  // Its first message says it is loaded and waiting for "go"; its second is its report.
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve())
    worker.once('error', reject)
  })
  const done = ready.then(
    () =>
      new Promise<Report>((resolve, reject) => {
        worker.once('message', resolve)
        worker.once('error', reject)
        worker.once('exit', (code) => reject(new Error(`worker ${name} exited with ${code} before reporting`)))
      }),
  )
  return { worker, ready, done }
}
