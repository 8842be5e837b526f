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

/**
 * The database server at its connection limit, reached by others (here the role's CONNECTION
 * LIMIT, refused with the same SQLSTATE 53300 as max_connections): no new connection, while the
 * pool's own serve. A host whose pool works is ready; 503 would only move its load elsewhere.
 */
describe.runIf(testDialect === 'postgres')('a database at its connection limit, the pool busy', () => {
  const root = inject('builtRoot')
  const role = `limited_${Date.now()}`
  let server: ServerProcess
  let admin: pg.Client
  let roleUrl: string

  beforeAll(async () => {
    const url = await testDatabaseLocation()
    admin = new pg.Client({ connectionString: url })
    await admin.connect()
    const schema = /search_path=(\w+)/.exec(new URL(url).searchParams.get('options') ?? '')![1]
    await admin.query(`create role ${role} login`)
    await admin.query(`grant all on schema ${schema} to ${role}`)
    const limited = new URL(url)
    limited.username = role
    roleUrl = limited.href
    server = await startBuiltServer(root, { DATABASE_URL: roleUrl, DATABASE_POOL_MAX: '2', PAGE_CACHE_MAX_BYTES: '0' })
  })
  afterAll(async () => {
    await server?.stop('SIGKILL')
    await admin?.query(`select pg_terminate_backend(pid) from pg_stat_activity where usename = '${role}'`).catch(() => {})
    await admin?.end()
  })

  it('answers /readyz 200 while the pool serves, though no connection more may be opened', { timeout: 30_000 }, async () => {
    const product = (id: number) => fetch(`${server.url}/api/products/${id}`)
    const connections = async () => (await admin.query(`select count(*)::int as n from pg_stat_activity where usename = $1`, [role])).rows[0].n as number
    // Both pooled connections open (and the one LISTENing): then the role may open none more.
    const filled = async () => {
      await Promise.all([product(1), product(2), product(3)])
      return connections()
    }
    await expect.poll(filled, { timeout: 10_000 }).toBe(3)
    await admin.query(`alter role ${role} connection limit 3`)
    const refused = new pg.Client({ connectionString: roleUrl })
    await expect(refused.connect()).rejects.toMatchObject({ code: '53300' })

    await admin.query('begin')
    await admin.query('lock table products in access exclusive mode') // requests reading products wait, each holding a connection
    const held = [product(4), product(5), product(6)]
    await expect
      .poll(
        async () => (await admin.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and usename = $1`, [role])).rows[0].n,
        {
          timeout: 5000,
          interval: 50,
        },
      )
      .toBe(2)

    const ready = await fetch(`${server.url}/readyz`)
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', checks: { database: true } }])

    await admin.query('commit')
    expect((await Promise.all(held)).map((res) => res.status)).toEqual([200, 200, 200])
    // The pool idle again: probed through it, ready still.
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200)
  })
})
