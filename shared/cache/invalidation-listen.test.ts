import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase, runMigrations, testDatabaseLocation, testDialect, type Db } from '#shared/db'
import { cacheMigrations, createInvalidationLog, type InvalidationLog } from './invalidation-log.server.ts'
import { PageCache } from './page-cache.server.ts'
import { recordInvalidations } from './record-invalidations.server.ts'

const policy = { maxAgeMs: 60_000, staleWhileRevalidateMs: 0 }
const product = (id: number, path = `/products/${id}`) => ({
  body: Buffer.from(`product ${id}`),
  scriptHashes: '',
  status: 200,
  headers: {},
  tags: ['products', `product:${id}`],
  path,
})

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Two or more hosts on one PostgreSQL database: each its own pool, page cache and started log. */
async function sharedDatabase() {
  const location = await testDatabaseLocation()
  const setup = openDatabase(location)
  cleanups.push(() => setup.destroy())
  await runMigrations(setup, cacheMigrations)

  async function host() {
    // A name of its own, so the test can find this host's listening connection among the server's.
    const name = `host-${randomUUID()}`
    const url = new URL(location)
    url.searchParams.set('application_name', name)
    const db: Db = openDatabase(url.href)
    const cache = new PageCache({ maxBytes: 1_000_000 })
    const onError = vi.fn()
    const log: InvalidationLog = createInvalidationLog(db, cache, { onError })
    cleanups.push(
      () => db.destroy(),
      () => log.stop(),
    )
    log.start()
    await log.poll() // listening
    const render = (id: number) => cache.resolve(`/products/${id}`, policy, async () => product(id))
    const has = async (id: number) => (await cache.resolve(`/products/${id}`, policy, async () => null)).state === 'HIT'
    /** The pid of its listening connection (its last statement was the LISTEN or a sync's pg_notify). */
    const listenerPid = async () =>
      (
        await sql<{
          pid: number
        }>`select pid from pg_stat_activity where application_name = ${name} and (query ilike 'listen%' or query ilike 'select pg_notify%')`.execute(setup)
      ).rows.map((row) => row.pid)
    return { db, cache, log, onError, render, has, listenerPid }
  }
  return { setup, host }
}

// LISTEN/NOTIFY is PostgreSQL's; on SQLite the logs poll (invalidation-log.test.ts runs on both).
describe.skipIf(testDialect !== 'postgres')('the page-cache invalidation log on PostgreSQL', () => {
  it('carries an invalidation on one host to the other host’s page cache within a second, without a poll', async () => {
    const { host } = await sharedDatabase()
    const a = await host()
    const b = await host()
    for (const id of [1, 2]) await b.render(id)
    const started = Date.now()
    await a.log.revalidateTag('product:1')
    await vi.waitFor(async () => expect(await b.has(1)).toBe(false), { timeout: 1_000, interval: 5 })
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(await b.has(2)).toBe(true)
  })

  it('sends one sync marker at a time on its listening connection, however many syncs wait (pg queues no query)', async () => {
    const warnings: string[] = []
    const onWarning = (warning: Error) => warnings.push(warning.message)
    process.on('warning', onWarning)
    cleanups.push(() => process.off('warning', onWarning))
    const { host } = await sharedDatabase()
    const a = await host()
    const b = await host()
    await b.render(1)
    // Twenty requests' syncs at once, an invalidation among them: each still sees it applied.
    await Promise.all([...Array.from({ length: 20 }, () => a.log.sync()), b.log.revalidateTag('product:1'), ...Array.from({ length: 20 }, () => b.log.sync())])
    expect(await b.has(1)).toBe(false)
    await new Promise((resolve) => setImmediate(resolve)) // process warnings are emitted on the next tick
    expect(warnings.filter((message) => message.includes('already executing a query'))).toEqual([])
    expect(a.onError).not.toHaveBeenCalled()
  })

  it('carries one recorded in a transaction once it commits, and a value too long for a notification', async () => {
    const { host } = await sharedDatabase()
    const a = await host()
    const b = await host()
    const longPath = `/products/${'x'.repeat(6_000)}`
    await b.render(1)
    await b.cache.resolve(longPath, policy, async () => product(3, longPath))
    await a.db.transaction().execute((trx) => recordInvalidations(trx, { tags: ['product:1'], paths: [longPath] }))
    await vi.waitFor(async () => expect(await b.has(1)).toBe(false), { timeout: 1_000, interval: 5 })
    await vi.waitFor(async () => expect((await b.cache.resolve(longPath, policy, async () => null)).state).toBe('MISS'), { timeout: 1_000, interval: 5 })
  })

  it('drops the whole page cache when its listening connection is killed, and listens again', async () => {
    const { setup, host } = await sharedDatabase()
    const a = await host()
    const b = await host()
    for (const id of [1, 2]) await b.render(id)
    const [killed] = await b.listenerPid()
    expect(killed).toBeTypeOf('number')
    await sql`select pg_terminate_backend(${killed})`.execute(setup)
    await vi.waitFor(async () => expect([await b.has(1), await b.has(2)]).toEqual([false, false]), { timeout: 1_000, interval: 5 })
    expect(b.onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/terminat/) }))
    // Listening again on a new connection…
    await vi.waitFor(async () => expect((await b.listenerPid()).filter((pid) => pid !== killed)).toHaveLength(1), { timeout: 2_000, interval: 20 })
    await b.log.sync()
    // …it hears the other host again: only the page invalidated goes (no whole-cache drop this time).
    for (const id of [1, 2]) await b.render(id)
    await a.log.revalidateTag('product:1')
    await vi.waitFor(async () => expect(await b.has(1)).toBe(false), { timeout: 1_000, interval: 5 })
    expect(await b.has(2)).toBe(true)
  })

  it('drops its pages when it listens again after a stop: it heard nothing meanwhile', async () => {
    const { host } = await sharedDatabase()
    const a = await host()
    const b = await host()
    await b.render(1)
    const [pid] = await b.listenerPid()
    b.log.stop()
    await vi.waitFor(async () => expect(await b.listenerPid()).not.toContain(pid))
    await a.log.revalidateTag('product:1')
    expect(await b.has(1)).toBe(true) // unheard
    await b.log.sync() // listens again, and cannot know what it missed
    expect(await b.has(1)).toBe(false)
    expect(await b.listenerPid()).toHaveLength(1)
  })

  it('drops its pages and reports, without failing the caller, when it cannot reach the server', async () => {
    const unreachable = new URL(await testDatabaseLocation())
    unreachable.port = '1' // nothing listens there
    const db = openDatabase(unreachable.href)
    const cache = new PageCache({ maxBytes: 1_000_000 })
    const onError = vi.fn()
    const log = createInvalidationLog(db, cache, { onError })
    cleanups.push(
      () => db.destroy(),
      () => log.stop(),
    )
    await cache.resolve('/products/1', policy, async () => product(1))
    await log.sync()
    expect(cache.size).toBe(0)
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/ECONNREFUSED|connect/) }))
  })
})
