import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { testDatabaseLocation, testDialect } from '#shared/db'
import { startBuiltServer, type ServerProcess } from './support/server-process.ts'

/**
 * Every connection of the pool checked out (`npm run test:pg` only): requests waiting on a lock
 * held elsewhere. The database answers, so /readyz says ready: a load balancer that took out each
 * host whose pool is full would take out one busy host after another.
 */
describe.runIf(testDialect === 'postgres')('a pool whose every connection is busy', () => {
  const root = inject('builtRoot')
  let server: ServerProcess
  let holder: pg.Client
  let url: string

  beforeAll(async () => {
    url = await testDatabaseLocation()
    server = await startBuiltServer(root, { DATABASE_URL: url, DATABASE_POOL_MAX: '2', PAGE_CACHE_MAX_BYTES: '0' })
    holder = new pg.Client({ connectionString: url })
    await holder.connect()
  })
  afterAll(async () => {
    await server?.stop('SIGKILL')
    await holder?.end()
  })

  it('answers /readyz 200 at once while the database answers, and the held requests finish after', { timeout: 30_000 }, async () => {
    // Each a different product: identical reads in flight share one query (the data cache).
    const product = (id: number) => fetch(`${server.url}/api/products/${id}`)
    expect((await product(1)).status).toBe(200)
    await holder.query('begin')
    await holder.query('lock table products in access exclusive mode') // requests reading products wait, each holding a connection
    const held = [product(2), product(3), product(4)]
    // Both of the pool's connections waiting on the lock, seen from the database.
    await expect
      .poll(async () => (await holder.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'`)).rows[0].n, {
        timeout: 5000,
        interval: 50,
      })
      .toBeGreaterThanOrEqual(2)

    const ready = await fetch(`${server.url}/readyz`)
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', checks: { database: true } }])

    await holder.query('commit')
    expect((await Promise.all(held)).map((res) => res.status)).toEqual([200, 200, 200])
  })
})
