import { sql } from 'kysely'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from './database.server.ts'
import { legacyMigrationChecksum } from './legacy-migration-checksum.ts'
import { migrationChecksum } from './migration-checksum.ts'
import { migratorMigrations, runMigrations } from './migrator.server.ts'
import { openTestDatabase, testDatabaseLocation, testDialect } from './test-database.ts'
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

  it('says when a migration runs after a later one of its domain (it runs first on a new database); never for another domain', async () => {
    db = await openTestDatabase()
    await runMigrations(db, { 'a/001-one': createTable('one'), 'a/003-three': createTable('three') })
    const said: string[] = []
    const warn = (message: string) => said.push(message)
    const ran = await runMigrations(db, { 'a/001-one': createTable('one'), 'a/002-two': createTable('two'), 'a/003-three': createTable('three') }, { warn })
    expect(ran.map((r) => r.migrationName)).toEqual(['a/002-two'])
    expect(said).toEqual([
      expect.stringMatching(/^Migration a\/002-two runs now, after a\/003-three, which ran before it here; on a new database it runs before\./),
    ])
    said.length = 0
    await runMigrations(db, { '0/001-new-domain': createTable('zero'), 'a/001-one': createTable('one') }, { warn })
    expect(said).toEqual([])
  })

  it('warns of a migration edited after it ran, naming its file, at every start; comments and formatting are no edit', async () => {
    db = await openTestDatabase()
    const said: string[] = []
    const warn = (message: string) => said.push(message)
    const file = 'domains/a/migrations/001-one.server.ts'
    const withText = (text: string) => ({
      ...migratorMigrations,
      'a/001-one': { ...createTable('one'), source: { file, text } },
    })
    const text = 'export async function up(db) {\n  await sql`create table one (id integer primary key)`.execute(db)\n}\n'
    await runMigrations(db, withText(text), { warn })
    await runMigrations(db, withText(`// Makes table one.\n${text.replace('(db) {', '(db) {  /* the first */')}`), { warn })
    expect(said).toEqual([])
    const edited = withText(text.replace('primary key', 'primary key, code text'))
    expect(await runMigrations(db, edited, { warn })).toEqual([]) // not run again
    await runMigrations(db, edited, { warn })
    expect(said).toEqual([
      `Migration a/001-one (${file}) was edited after it ran on this database, so the edit never runs here, while a new database runs the edited one: put the file back as it was and write the change as a new migration (in development, a database made afresh runs it as it is now). Comments and formatting do not count.`,
      expect.stringContaining('Migration a/001-one (domains/a/migrations/001-one.server.ts) was edited'),
    ])
    said.length = 0
    await runMigrations(db, withText(text), { warn }) // put back
    expect(said).toEqual([])
  })

  it('takes a checksum the old scanner recorded, of the same text, as no edit, and records it anew (no false alarm after the upgrade)', async () => {
    db = await openTestDatabase()
    const said: string[] = []
    const warn = (message: string) => said.push(message)
    // orders/004's kind: a template literal inside another, which the old scanner misread.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a migration's text, templates in it
    const text = 'export async function up(db) {\n  await sql`create table one (id integer${pk ? sql` primary key` : sql``})`.execute(db)\n}\n'
    const at = (source: string) => ({ ...migratorMigrations, 'a/001-one': { ...createTable('one'), source: { file: 'a.ts', text: source } } })
    await runMigrations(db, at(text), { warn })
    await sql`update tessera_migration_checksums set checksum = ${legacyMigrationChecksum(text)} where name = 'a/001-one'`.execute(db)
    await runMigrations(db, at(text), { warn })
    expect(said).toEqual([])
    const { rows } = await sql<{ checksum: string }>`select checksum from tessera_migration_checksums where name = 'a/001-one'`.execute(db)
    expect(rows).toEqual([{ checksum: migrationChecksum(text) }])
    await runMigrations(db, at(text.replace(' primary key', 'primary key')), { warn }) // SQL's space: an edit now
    expect(said).toEqual([expect.stringContaining('Migration a/001-one (a.ts) was edited after it ran')])
  })

  it('records the checksums of migrations that ran before the checksums table existed, at its first start: no false alarm', async () => {
    db = await openTestDatabase()
    const said: string[] = []
    const warn = (message: string) => said.push(message)
    await runMigrations(db, { 'a/001-one': createTable('one') }) // an older release: no checksums
    const at = (text: string) => ({ ...migratorMigrations, 'a/001-one': { ...createTable('one'), source: { file: 'a.ts', text } } })
    const ran = await runMigrations(db, at('export const up = one'), { warn })
    expect(ran.map((r) => r.migrationName)).toEqual(['platform/005-record-migration-checksums'])
    expect(said).toEqual([])
    await runMigrations(db, at('export const up = two'), { warn })
    expect(said).toEqual([expect.stringContaining('Migration a/001-one (a.ts) was edited after it ran')])
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

describe.skipIf(testDialect !== 'postgres')('runMigrations beside a long transaction (PostgreSQL)', () => {
  const clients: pg.Client[] = []
  let db: Db | undefined
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end()))
    await db?.destroy()
  })

  /** A database whose table `one` a long transaction is reading, as a report or a slow request would. */
  async function tableInUse() {
    const location = await testDatabaseLocation()
    db = openDatabase(location)
    const first = { 'a/001-one': createTable('one') }
    await runMigrations(db, first)
    const connect = async () => {
      const client = new pg.Client({ connectionString: location })
      clients.push(client)
      await client.connect()
      return client
    }
    const longTransaction = await connect()
    await longTransaction.query('begin')
    await longTransaction.query('select * from one')
    const changeOne = { ...first, 'a/002-alter-one': { up: (trx: Db) => sql`alter table one add column two integer`.execute(trx).then(() => {}) } }
    return { db, connect, longTransaction, changeOne }
  }

  it('gives way, so queries of the table keep being answered, and finishes once the transaction ends', { timeout: 30_000 }, async () => {
    const { db, connect, longTransaction, changeOne } = await tableInUse()
    const migrating = runMigrations(db, changeOne, { lockTimeoutMs: 200, lockAttempts: 100, lockPauseMs: 50 })
    const store = await connect()
    // Until it gives way, a query queues behind the migration's wait: without giving way, for as
    // long as the long transaction runs (this would end it with statement_timeout's error).
    await store.query(`set statement_timeout = '10s'`)
    await untilWaitingForLock(store)
    for (let read = 0; read < 5; read++) expect((await store.query('select count(*) from one')).rows).toEqual([{ count: '0' }])
    await longTransaction.query('commit')
    expect((await migrating).map((result) => [result.migrationName, result.status])).toEqual([['a/002-alter-one', 'Success']])
    expect((await store.query('select two from one')).rows).toEqual([])
  })

  it('stops trying after its attempts, saying why, and changes nothing', { timeout: 30_000 }, async () => {
    const { db, connect, changeOne } = await tableInUse()
    await expect(runMigrations(db, changeOne, { lockTimeoutMs: 100, lockAttempts: 3, lockPauseMs: 10 })).rejects.toThrow(
      /a\/002-alter-one failed: .*lock timeout.*gave way to another connection holding a table it changes, 3 times/,
    )
    await expect((await connect()).query('select two from one')).rejects.toThrow(/column "two" does not exist/)
  })
})

/** Waits until some connection waits for a lock on table `one` (the migration's `alter table`). */
async function untilWaitingForLock(client: pg.Client): Promise<void> {
  for (;;) {
    const { rows } = await client.query(`select 1 from pg_locks where not granted and relation = 'one'::regclass`)
    if (rows.length > 0) return
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
