import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import type { Db } from './database.server.ts'
import { runMigrations } from './migrator.server.ts'
import { openTestDatabase, testDatabaseLocation } from './test-database.ts'
import { startTsWorker } from '../../tests/support/ts-worker.ts'

const createTable = (name: string) => ({
  up: async (db: Db) => {
    await sql`create table ${sql.table(name)} (id integer primary key)`.execute(db)
  },
})

describe('runMigrations', () => {
  let db: Db
  afterEach(() => db?.destroy())

  it('runs pending migrations once and records them', async () => {
    db = await openTestDatabase()
    const first = await runMigrations(db, { 'a/001-one': createTable('one') })
    expect(first.map((r) => [r.migrationName, r.status])).toEqual([['a/001-one', 'Success']])
    const second = await runMigrations(db, { 'a/001-one': createTable('one'), 'b/001-two': createTable('two') })
    expect(second.map((r) => r.migrationName)).toEqual(['b/001-two'])
  })

  it('leaves the database as it was when a migration fails', async () => {
    db = await openTestDatabase()
    const failing = {
      up: async (trx: Db) => {
        await sql`create table half_done (id integer)`.execute(trx)
        await sql`this is not sql`.execute(trx)
      },
    }
    await expect(runMigrations(db, { 'a/001-broken': failing })).rejects.toThrow(/a\/001-broken failed/)
    await expect(sql`select * from half_done`.execute(db)).rejects.toThrow(/half_done/)
  })

  it('refuses a migration renamed after it ran (it would run again), naming both; a previous release missing the newest is fine', async () => {
    db = await openTestDatabase()
    const seeded: string[] = []
    const seed = { up: async () => void seeded.push('seeded') }
    await runMigrations(db, { 'a/001-one': createTable('one'), 'a/002-seed-tags': seed })
    await expect(runMigrations(db, { 'a/001-one': createTable('one'), 'a/002-seed-review-tags': seed })).rejects.toThrow(
      'Migration a/002-seed-tags ran here but is no longer in the code, and a/002-seed-review-tags never ran: renamed?',
    )
    expect(seeded).toEqual(['seeded'])
    // A host of the previous release (without 002) starting after a newer one migrated: nothing to do.
    expect(await runMigrations(db, { 'a/001-one': createTable('one') })).toEqual([])
  })

  it('runs them in the set’s order, not by name: a domain after the ones whose tables it references', async () => {
    db = await openTestDatabase()
    const ran: string[] = []
    const logged = (name: string, then?: string) => ({
      up: async (trx: Db) => {
        ran.push(name)
        // PostgreSQL refuses a reference to a table not made yet (SQLite would not notice).
        await sql`create table ${sql.table(name)} (id integer primary key${then ? sql`, other integer references ${sql.table(then)}(id)` : sql``})`.execute(trx)
      },
    })
    const set = { 'platform/001-p': logged('p'), 'products/001-products': logged('products'), 'orders/001-orders': logged('orders', 'products') }
    await runMigrations(db, set)
    expect(ran).toEqual(['p', 'products', 'orders'])
    // Later, a migration of products comes after orders' in name order and in the set: it runs alone.
    await runMigrations(db, { ...set, 'products/002-more': logged('more', 'orders') })
    expect(ran).toEqual(['p', 'products', 'orders', 'more'])
  })
})

describe('runMigrations from two processes at once', () => {
  // Worker threads that load tsx and compile TypeScript first (~1 s each here): a bound above that.
  it('migrates once; the other waits for the lock and finds nothing left to do', { timeout: 30_000 }, async () => {
    const { mkdtemp, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dir = await mkdtemp(join(tmpdir(), 'tessera-migrate-'))
    // Two threads, each its own connection, as two processes starting together would have.
    const run = (location: string) =>
      new Promise<number>((resolve, reject) => {
        const worker = startTsWorker(new URL('./migrate.worker-fixture.ts', import.meta.url), { path: location })
        worker.once('message', resolve)
        worker.once('error', reject)
      })
    try {
      // A few rounds: the loser must also cope with the winner recording a later stretch meanwhile.
      for (let round = 0; round < 4; round++) {
        const location = await testDatabaseLocation(dir)
        const [a, b] = await Promise.all([run(location), run(location)])
        expect(a + b).toBe(20)
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
