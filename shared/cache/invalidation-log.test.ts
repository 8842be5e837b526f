import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { KyselyPlugin } from 'kysely'
import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest'
import { openDatabase, runMigrations, testDatabaseLocation, testDialect, type Db } from '#shared/db'
import { cacheMigrations, createInvalidationLog, type InvalidationLog, type InvalidationLogOptions } from './invalidation-log.server.ts'
import { PageCache } from './page-cache.server.ts'
import { recordInvalidations } from './record-invalidations.server.ts'

const policy = { maxAgeMs: 60_000, staleWhileRevalidateMs: 0 }
const product = (id: number) => ({
  body: Buffer.from(`product ${id}`),
  scriptHashes: '',
  status: 200,
  headers: {},
  tags: ['products', `product:${id}`],
  path: `/products/${id}`,
})

// On both dialects: SQLite's logs poll a shared file, PostgreSQL's listen (invalidation-listen.test.ts has the rest).
describe('createInvalidationLog', () => {
  let dir: string
  let location: string
  let connections: Db[]
  let logs: InvalidationLog[]

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-cache-'))
    location = await testDatabaseLocation(dir)
    connections = []
    logs = []
    await runMigrations(connect(), cacheMigrations)
  })

  afterEach(async () => {
    for (const log of logs) log.stop()
    await Promise.all(connections.map((db) => db.destroy()))
    rmSync(dir, { recursive: true, force: true })
  })

  /** Another connection to the same database: what another worker process or host would have. */
  function connect(): Db {
    const db = openDatabase(location)
    connections.push(db)
    return db
  }

  function createLog(...args: Parameters<typeof createInvalidationLog>): InvalidationLog {
    const log = createInvalidationLog(...args)
    logs.push(log)
    return log
  }

  /** One "process": its own connection, page cache (holding products 1 and 2) and log. */
  async function worker(options: InvalidationLogOptions = {}) {
    const cache = new PageCache({ maxBytes: 1_000_000 })
    for (const id of [1, 2]) await cache.resolve(`/products/${id}`, policy, async () => product(id))
    const log = createLog(connect(), cache, { onError: vi.fn(), ...options })
    // Its starting point is read asynchronously; a poll waits for it, so the worker is "up".
    await log.poll()
    return { cache, log, has: async (id: number) => (await cache.resolve(`/products/${id}`, policy, async () => null)).state === 'HIT' }
  }

  it('applies a revalidateTag here at once and in another process at its next poll', async () => {
    const a = await worker()
    const b = await worker()
    await a.log.revalidateTag('product:1')
    expect(await a.has(1)).toBe(false)
    if (testDialect === 'sqlite') expect(await b.has(1)).toBe(true) // not before its next poll (PostgreSQL's may have arrived already)
    await b.log.poll()
    expect(await b.has(1)).toBe(false)
    expect(await b.has(2)).toBe(true)
  })

  it('carries revalidatePath to another process', async () => {
    const a = await worker()
    const b = await worker()
    await a.log.revalidatePath('/products/2')
    await b.log.poll()
    expect([await b.has(1), await b.has(2)]).toEqual([true, false])
  })

  it('ignores invalidations written before it was created', async () => {
    const a = await worker()
    await a.log.revalidateTag('products')
    const b = await worker()
    await b.log.poll()
    expect([await b.has(1), await b.has(2)]).toEqual([true, true])
  })

  it('polls on a timer after start() and no more after stop()', async () => {
    const a = await worker()
    const b = await worker({ pollMs: 5 })
    b.log.start()
    await a.log.revalidateTag('product:1')
    await vi.waitFor(async () => expect(await b.has(1)).toBe(false))
    b.log.stop()
    await a.log.revalidateTag('product:2')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await b.has(2)).toBe(true)
  })

  // Polling is SQLite's; PostgreSQL's failures are a lost connection (invalidation-listen.test.ts).
  it.skipIf(testDialect !== 'sqlite')('reports a failing timed poll to onError instead of throwing', async () => {
    const onError = vi.fn()
    const log = createLog(openDatabaseWithoutTable(), new PageCache({ maxBytes: 1_000 }), { pollMs: 5, onError })
    log.start()
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/no such table/) })))
    log.stop()
    await expect(log.poll()).rejects.toThrow(/no such table/)
  })

  it('deletes rows older than the retention while polling', async () => {
    let time = 0
    const a = await worker({ now: () => time, retentionMs: 60 * 60_000 })
    await a.log.revalidateTag('product:1')
    time += 2 * 60 * 60_000
    await a.log.revalidateTag('product:2')
    await a.log.poll()
    const rows = await connect().selectFrom('tessera_cache_invalidations').select('value').execute()
    expect(rows).toEqual([{ value: 'product:2' }])
  })

  it('does not apply its own invalidation again at its next poll (pages rendered since stay)', async () => {
    const a = await worker()
    await a.log.revalidateTag('product:1')
    await a.cache.resolve('/products/1', policy, async () => product(1))
    await a.log.poll()
    expect(await a.has(1)).toBe(true)
  })

  it('applies invalidations recorded in a transaction once it commits, and never those rolled back', async () => {
    const a = await worker()
    const b = await worker()
    const db = connect()
    await expect(
      db.transaction().execute(async (trx) => {
        await recordInvalidations(trx, { tags: ['product:2'] })
        throw new Error('the change failed')
      }),
    ).rejects.toThrow('the change failed')
    await db.transaction().execute(async (trx) => {
      await recordInvalidations(trx, { tags: ['product:1'] })
      await recordInvalidations(trx, { tags: ['product:1'] }) // again in the same transaction: one row
      expect(await a.has(1)).toBe(true) // nothing is applied before the commit
    })
    expect(await db.selectFrom('tessera_cache_invalidations').select('value').execute()).toEqual([{ value: 'product:1' }])
    await Promise.all([a.log.sync(), b.log.poll()])
    for (const { has } of [a, b]) expect([await has(1), await has(2)]).toEqual([false, true])
  })

  // A poll that read before a commit is SQLite's race; PostgreSQL's sync waits for its marker in commit order.
  it.skipIf(testDialect !== 'sqlite')('sync() applies rows committed before it, even while a poll that read earlier is still running', async () => {
    // A connection whose answers can be held back: a poll that has read but not yet finished.
    let release = () => {}
    let gate = Promise.resolve()
    const slow: KyselyPlugin = {
      transformQuery: ({ node }) => node,
      transformResult: async ({ result }) => {
        await gate
        return result
      },
    }
    const cache = new PageCache({ maxBytes: 1_000_000 })
    await cache.resolve('/products/2', policy, async () => product(2))
    const log = createLog(connect().withPlugin(slow), cache, { onError: vi.fn() })
    await log.poll()
    gate = new Promise((resolve) => (release = resolve))
    const running = log.poll() // reads now, before the commit below, and waits at the gate
    await new Promise((resolve) => setImmediate(resolve))
    await recordInvalidations(connect(), { tags: ['product:2'] })
    const synced = log.sync()
    release()
    await Promise.all([running, synced])
    expect((await cache.resolve('/products/2', policy, async () => null)).state).toBe('MISS')
  })

  it.skipIf(testDialect !== 'sqlite')('reports a slow poll that failed once, not once per tick it outlasted', async () => {
    // A database that answers each poll's read after 150 ms, with an error (a write lock held elsewhere).
    let failing = false
    const locked: KyselyPlugin = {
      transformQuery: ({ node }) => node,
      transformResult: async ({ result }) => {
        if (!failing) return result
        await new Promise((resolve) => setTimeout(resolve, 150))
        throw new Error('database is locked')
      },
    }
    const onError = vi.fn()
    const log = createLog(connect().withPlugin(locked), new PageCache({ maxBytes: 1_000_000 }), { onError, pollMs: 5 })
    await log.poll()
    failing = true
    log.start()
    await new Promise((resolve) => setTimeout(resolve, 400))
    log.stop()
    // Two polls ran out in 400 ms (three at most on a slow machine): one line each, not one per 5 ms tick.
    expect(onError.mock.calls.length).toBeGreaterThanOrEqual(1)
    expect(onError.mock.calls.length).toBeLessThanOrEqual(3)
  })

  function openDatabaseWithoutTable(): Db {
    const db = openDatabase(':memory:')
    connections.push(db)
    return db
  }
})
