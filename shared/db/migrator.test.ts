import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from './database.server.ts'
import { runMigrations } from './migrator.server.ts'
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
    db = openDatabase(':memory:')
    const first = await runMigrations(db, { 'a/001-one': createTable('one') })
    expect(first.map((r) => [r.migrationName, r.status])).toEqual([['a/001-one', 'Success']])
    const second = await runMigrations(db, { 'a/001-one': createTable('one'), 'b/001-two': createTable('two') })
    expect(second.map((r) => r.migrationName)).toEqual(['b/001-two'])
  })

  it('leaves the database as it was when a migration fails', async () => {
    db = openDatabase(':memory:')
    const failing = {
      up: async (trx: Db) => {
        await sql`create table half_done (id integer)`.execute(trx)
        await sql`this is not sql`.execute(trx)
      },
    }
    await expect(runMigrations(db, { 'a/001-broken': failing })).rejects.toThrow(/a\/001-broken failed/)
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'half_done'`.execute(db)
    expect(tables.rows).toEqual([])
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
    const run = () =>
      new Promise<number>((resolve, reject) => {
        const worker = startTsWorker(new URL('./migrate.worker-fixture.ts', import.meta.url), { path: join(dir, 'db.sqlite') })
        worker.once('message', resolve)
        worker.once('error', reject)
      })
    try {
      const [a, b] = await Promise.all([run(), run()])
      expect(a + b).toBe(20)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
