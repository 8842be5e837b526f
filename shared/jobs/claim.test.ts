import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, testDatabaseLocation, type Db } from '#shared/db'
import { enqueueAnyJob } from './enqueue.server.ts'
import { isBusy } from './errors.ts'
import { claimNextJob } from './job-queries.server.ts'
import { jobsDb } from './test-db.ts'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('claimNextJob from several connections at once', () => {
  it('claims each due job exactly once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-claim-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const location = await testDatabaseLocation(dir)
    const first = await jobsDb(location)
    // Four handles, each a pool of its own on PostgreSQL: four hosts claiming side by side.
    const hosts: Db[] = [first, ...[1, 2, 3].map(() => openDatabase(location, { poolMax: 5 }))]
    cleanups.push(...hosts.map((db) => () => db.destroy()))
    const count = 80
    const ids = await first.transaction().execute(async (trx) => {
      const queued: number[] = []
      for (let i = 0; i < count; i++) queued.push(await enqueueAnyJob(trx, 'record', { i }, { runAt: 0 }))
      return queued
    })
    // Every connection claims until nothing is due, all at the same time.
    const claimer = async (db: Db, n: number) => {
      const claimed: number[] = []
      for (;;) {
        const job = await claimNextJob(db, { workerId: `w${n}`, now: Date.now(), leaseMs: 60_000 }).catch((error: unknown) =>
          isBusy(error) ? 'busy' : Promise.reject(error),
        )
        if (job === 'busy') continue
        if (!job) return claimed
        claimed.push(job.id)
      }
    }
    const claims = (await Promise.all(hosts.flatMap((db, h) => [0, 1, 2, 3].map((n) => claimer(db, h * 4 + n))))).flat()
    expect(claims.toSorted((a, b) => a - b)).toEqual(ids)
    const rows = await first.selectFrom('tessera_jobs').select(['status', 'attempts']).execute()
    expect(rows.every((row) => row.status === 'running' && row.attempts === 1)).toBe(true)
  }, 30_000)
})
