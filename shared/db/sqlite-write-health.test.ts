import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { isDatabaseReady, type Db } from './database.server.ts'
import { openSqlite } from './sqlite-database.server.ts'
import { testDialect } from './test-database.ts'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function fileDatabase(): Promise<Db> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-write-health-'))
  const db = openSqlite(join(dir, 'shop.db'))
  cleanups.push(
    () => rm(dir, { recursive: true, force: true }),
    () => db.destroy(),
  )
  await sql`create table orders (note text)`.execute(db)
  return db
}

const failure = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (err: { code?: string }) => err.code,
  )

/**
 * Readiness while the storage refuses writes: real SQLite refusals on the connection itself, a
 * read-only connection (`query_only`, SQLITE_READONLY as a read-only mount gives) and a full
 * database (`max_page_count`, SQLITE_FULL as a full disk gives).
 */
describe.skipIf(testDialect !== 'sqlite')('readiness of a SQLite database whose writes fail', () => {
  it('is not ready once a write was refused as read-only, and ready again by itself when writes pass', async () => {
    const db = await fileDatabase()
    expect(await isDatabaseReady(db)).toBe(true)
    await sql`pragma query_only = on`.execute(db)
    expect(await isDatabaseReady(db)).toBe(true) // nothing has failed yet: no write of its own while healthy
    expect(await failure(sql`insert into orders values ('one')`.execute(db))).toBe('SQLITE_READONLY')
    expect(await isDatabaseReady(db)).toBe(false)
    expect(await isDatabaseReady(db)).toBe(false) // its own write is refused too
    await sql`pragma query_only = off`.execute(db)
    expect(await isDatabaseReady(db)).toBe(true) // no order needed: the check's own write passed
    expect(await isDatabaseReady(db)).toBe(true)
    expect((await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'tessera_write_check'`.execute(db)).rows[0]!.n).toBe(0)
  })

  it('is not ready once a commit failed for a full disk, and ready again after a write commits', async () => {
    const db = await fileDatabase()
    const [{ page_count }] = (await sql<{ page_count: number }>`pragma page_count`.execute(db)).rows as [{ page_count: number }]
    await sql.raw(`pragma max_page_count = ${page_count}`).execute(db)
    const order = db.transaction().execute((trx) => sql`insert into orders values (${'x'.repeat(100_000)})`.execute(trx))
    expect(await failure(order)).toBe('SQLITE_FULL')
    expect(await isDatabaseReady(db)).toBe(false)
    expect(await isDatabaseReady(db)).toBe(false)
    await sql.raw(`pragma max_page_count = ${page_count + 1000}`).execute(db)
    await sql`insert into orders values ('small')`.execute(db) // an order that commits
    expect(await isDatabaseReady(db)).toBe(true)
  })

  it('stays ready after a failure that is the query’s own (a constraint), not the storage’s', async () => {
    const db = await fileDatabase()
    await sql`create table users (email text unique)`.execute(db)
    await sql`insert into users values ('a@example.com')`.execute(db)
    expect(await failure(sql`insert into users values ('a@example.com')`.execute(db))).toMatch(/^SQLITE_CONSTRAINT/)
    expect(await isDatabaseReady(db)).toBe(true)
  })
})
