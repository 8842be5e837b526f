import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { insertMany, withIndexesDeferred } from './bulk-load.server.ts'
import { openDatabase, type Db } from './database.server.ts'
import { openTestDatabase, testDialect } from './test-database.ts'
import { isUniqueViolation } from './constraint-violations.ts'

interface BulkItemsTable {
  id: number
  name: string
  size: number | null
}
declare module '#shared/db' {
  interface Database {
    bulk_items: BulkItemsTable
  }
}

let db: Db
afterEach(() => db?.destroy())
async function itemsDb(): Promise<Db> {
  db = openDatabase(':memory:')
  await sql`create table bulk_items (id integer primary key, name text not null unique, size integer)`.execute(db)
  await sql`create index bulk_items_size on bulk_items (size, id desc)`.execute(db)
  await sql`create table bulk_log (name text)`.execute(db)
  await sql`create trigger bulk_items_log after insert on bulk_items begin insert into bulk_log values (new.name); end`.execute(db)
  return db
}
const schema = () =>
  sql<{ sql: string }>`select sql from sqlite_master where tbl_name = 'bulk_items' and sql is not null order by name`
    .execute(db)
    .then((r) => r.rows.map((row) => row.sql))
const rows = (count: number) => Array.from({ length: count }, (_, i) => ({ id: i + 1, name: `item ${i + 1}`, size: i % 3 === 0 ? null : i }))

/** bulk_items on the test run's dialect (PostgreSQL: insertMany goes through COPY). */
async function itemsOnTestDialect(): Promise<Db> {
  db = await openTestDatabase()
  await sql`create table bulk_items (id integer primary key, name text not null unique, size integer)`.execute(db)
  return db
}

describe('insertMany', () => {
  it('inserts every row, in full batches and a shorter last one, values in their columns', async () => {
    await itemsOnTestDialect()
    await db.transaction().execute(async (trx) => expect(await insertMany(trx, 'bulk_items', rows(1234), 500)).toBe(1234))
    expect(await db.selectFrom('bulk_items').selectAll().orderBy('id').execute()).toEqual(rows(1234))
  })

  it('keeps every character of a text as it was: tabs, line breaks, backslashes, quotes, \\N, accents, emoji', async () => {
    await itemsOnTestDialect()
    const awkward = ['a\tb', 'tab\there', 'line\nbreak', 'carriage\rreturn', 'back\\slash', '\\N', '\\\\N', 'it\'s "quoted"', 'Crème brûlée ☕', '', ' spaced ']
    const items = awkward.map((name, i) => ({ id: i + 1, name, size: i % 2 ? null : i }))
    await db.transaction().execute((trx) => insertMany(trx, 'bulk_items', items))
    expect(await db.selectFrom('bulk_items').selectAll().orderBy('id').execute()).toEqual(items)
  })

  it('inserts nothing, and answers 0, for no rows', async () => {
    await itemsOnTestDialect()
    expect(await db.transaction().execute((trx) => insertMany(trx, 'bulk_items', []))).toBe(0)
  })

  it('refuses rows whose keys are in another order than the first row’s (their values would land in the wrong columns)', async () => {
    await itemsOnTestDialect()
    const mixed = [
      { id: 1, name: 'a', size: 1 },
      { name: 'b', id: 2, size: 2 },
    ]
    await expect(db.transaction().execute((trx) => insertMany(trx, 'bulk_items', mixed, 2))).rejects.toThrow(/same keys in the same order/)
    await expect(
      db.transaction().execute((trx) =>
        insertMany(trx, 'bulk_items', [
          { id: 1, name: 'a', size: 1 },
          { id: 2, name: 'b' },
        ]),
      ),
    ).rejects.toThrow(/same keys in the same order/)
    expect(await db.selectFrom('bulk_items').selectAll().execute()).toEqual([])
  })

  it('fails with the database’s own error on a row the table refuses, and the transaction keeps none of the rows', async () => {
    await itemsOnTestDialect()
    const clash = [...rows(600), { id: 601, name: 'item 1', size: 1 }] // the name is taken, after a full batch
    const failure = await db
      .transaction()
      .execute((trx) => insertMany(trx, 'bulk_items', clash))
      .catch((error: unknown) => error)
    expect(isUniqueViolation(failure)).toBe(true)
    expect(await db.selectFrom('bulk_items').selectAll().execute()).toEqual([])
    // The connection is sound after the failure: the next load goes in.
    await db.transaction().execute((trx) => insertMany(trx, 'bulk_items', rows(3)))
    expect(await db.selectFrom('bulk_items').selectAll().orderBy('id').execute()).toEqual(rows(3))
  })
})

describe.skipIf(testDialect !== 'postgres')('withIndexesDeferred on PostgreSQL', () => {
  async function parentAndChildren(): Promise<Db> {
    db = await openTestDatabase()
    await sql`create table bulk_parents (id integer primary key)`.execute(db)
    await sql`create table bulk_items (id integer primary key, name text not null unique, size integer references bulk_parents (id) on delete cascade)`.execute(
      db,
    )
    await sql`create index bulk_items_size on bulk_items (size, id desc)`.execute(db)
    await sql`insert into bulk_parents values (1), (2)`.execute(db)
    return db
  }
  const constraints = async (on: Db) =>
    (
      await sql<{ name: string; definition: string }>`
        select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint where conrelid = 'bulk_items'::regclass order by conname`.execute(on)
    ).rows
  const indexes = async (on: Db) =>
    (
      await sql<{
        indexname: string
      }>`select indexname from pg_indexes where schemaname = current_schema() and tablename = 'bulk_items' order by indexname`.execute(on)
    ).rows.map((row) => row.indexname)

  it('loads with the table’s foreign keys and its own indexes dropped, and puts back exactly what was there', async () => {
    await parentAndChildren()
    const before = { constraints: await constraints(db), indexes: await indexes(db) }
    expect(before.constraints.map((c) => c.definition)).toContain('FOREIGN KEY (size) REFERENCES bulk_parents(id) ON DELETE CASCADE')
    await db.transaction().execute((trx) =>
      withIndexesDeferred(trx, 'bulk_items', [], async () => {
        expect((await constraints(trx)).some((c) => c.definition.startsWith('FOREIGN KEY'))).toBe(false)
        expect(await indexes(trx)).toEqual(['bulk_items_name_key', 'bulk_items_pkey']) // the constraints’ own stay
        await insertMany(trx, 'bulk_items', [
          { id: 1, name: 'a', size: 1 },
          { id: 2, name: 'b', size: 2 },
        ])
      }),
    )
    expect({ constraints: await constraints(db), indexes: await indexes(db) }).toEqual(before)
    await expect(db.insertInto('bulk_items').values({ id: 3, name: 'orphan', size: 9 }).execute()).rejects.toThrow(/foreign key/) // enforced again
    await sql`delete from bulk_parents where id = 1`.execute(db)
    expect(await db.selectFrom('bulk_items').select('id').execute()).toEqual([{ id: 2 }]) // and its cascade kept
  })

  it('fails the load when a row refers to nothing, once the foreign key is added back, and keeps nothing', async () => {
    await parentAndChildren()
    const before = await constraints(db)
    await expect(
      db.transaction().execute((trx) =>
        withIndexesDeferred(trx, 'bulk_items', [], () =>
          insertMany(trx, 'bulk_items', [
            { id: 1, name: 'a', size: 1 },
            { id: 2, name: 'b', size: 9 },
          ]),
        ),
      ),
    ).rejects.toThrow(/foreign key/)
    expect(await db.selectFrom('bulk_items').selectAll().execute()).toEqual([])
    expect(await constraints(db)).toEqual(before)
  })
})

describe('withIndexesDeferred', () => {
  it('loads with the indexes and the named triggers off, then puts back exactly what was there', async () => {
    await itemsDb()
    const before = await schema()
    await db.transaction().execute((trx) =>
      withIndexesDeferred(trx, 'bulk_items', ['bulk_items_log'], async () => {
        const during = await sql<{ name: string }>`select name from sqlite_master where tbl_name = 'bulk_items' and sql is not null`.execute(trx)
        expect(during.rows.map((row) => row.name)).toEqual(['bulk_items']) // only the table (its UNIQUE index has no SQL: it stays)
        await insertMany(trx, 'bulk_items', rows(10))
      }),
    )
    expect(await schema()).toEqual(before)
    expect(
      await db
        .selectFrom('bulk_log' as never)
        .selectAll()
        .execute(),
    ).toEqual([]) // the trigger did not fire during the load
    await db.insertInto('bulk_items').values({ id: 11, name: 'after', size: 1 }).execute()
    expect(
      await db
        .selectFrom('bulk_log' as never)
        .selectAll()
        .execute(),
    ).toEqual([{ name: 'after' }]) // and fires again
  })

  it('keeps unique constraints checked during the load', async () => {
    await itemsDb()
    const twice = [
      { id: 1, name: 'same', size: 1 },
      { id: 2, name: 'same', size: 2 },
    ]
    await expect(db.transaction().execute((trx) => withIndexesDeferred(trx, 'bulk_items', [], () => insertMany(trx, 'bulk_items', twice)))).rejects.toThrow(
      /UNIQUE/,
    )
  })

  it('drops a unique index of its own (not a constraint’s) for the load, and building it again checks the load', async () => {
    await itemsDb()
    await sql`create unique index bulk_items_size_unique on bulk_items (size)`.execute(db)
    const twice = [
      { id: 1, name: 'a', size: 7 },
      { id: 2, name: 'b', size: 7 },
    ]
    await expect(
      db.transaction().execute((trx) =>
        withIndexesDeferred(trx, 'bulk_items', [], async () => {
          const during = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and sql is not null`.execute(trx)
          expect(during.rows).toEqual([])
          await insertMany(trx, 'bulk_items', twice) // accepted now...
        }),
      ),
    ).rejects.toThrow(/UNIQUE/) // ...refused when the index is built
    expect(await db.selectFrom('bulk_items').selectAll().execute()).toEqual([])
  })

  it('leaves the schema as it was when the load fails (the transaction rolls it back)', async () => {
    await itemsDb()
    const before = await schema()
    await expect(
      db.transaction().execute((trx) =>
        withIndexesDeferred(trx, 'bulk_items', ['bulk_items_log'], async () => {
          await insertMany(trx, 'bulk_items', rows(5))
          throw new Error('load failed')
        }),
      ),
    ).rejects.toThrow('load failed')
    expect(await schema()).toEqual(before)
    expect(await db.selectFrom('bulk_items').selectAll().execute()).toEqual([])
  })

  it('gives the load a larger page cache, and the connection its own back after, also when the load fails', async () => {
    await itemsDb()
    const cacheSize = async (on: Db) => (await sql<{ cache_size: number }>`pragma cache_size`.execute(on)).rows[0]!.cache_size
    const own = await cacheSize(db)
    let during = 0
    await db.transaction().execute((trx) =>
      withIndexesDeferred(trx, 'bulk_items', [], async () => {
        during = await cacheSize(trx)
      }),
    )
    expect(during).toBe(-256 * 1024) // KiB
    expect(await cacheSize(db)).toBe(own)
    await expect(
      db.transaction().execute((trx) =>
        withIndexesDeferred(trx, 'bulk_items', [], async () => {
          throw new Error('load failed')
        }),
      ),
    ).rejects.toThrow('load failed')
    expect(await cacheSize(db)).toBe(own)
  })

  it('runs only inside a transaction, and only with triggers that exist', async () => {
    await itemsDb()
    await expect(withIndexesDeferred(db, 'bulk_items', [], async () => {})).rejects.toThrow(/inside a transaction/)
    await expect(db.transaction().execute((trx) => withIndexesDeferred(trx, 'bulk_items', ['no_such_trigger'], async () => {}))).rejects.toThrow(
      /no trigger no_such_trigger/,
    )
  })
})
