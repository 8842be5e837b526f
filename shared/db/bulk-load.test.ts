import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { insertMany, withIndexesDeferred } from './bulk-load.server.ts'
import { openDatabase, type Db } from './database.server.ts'

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

describe('insertMany', () => {
  it('inserts every row, in full batches and a shorter last one, values in their columns', async () => {
    await itemsDb()
    await db.transaction().execute(async (trx) => expect(await insertMany(trx, 'bulk_items', rows(1234), 500)).toBe(1234))
    expect(await db.selectFrom('bulk_items').selectAll().orderBy('id').execute()).toEqual(rows(1234))
  })

  it('refuses rows whose keys are in another order than the first row’s (their values would land in the wrong columns)', async () => {
    await itemsDb()
    const mixed = [
      { id: 1, name: 'a', size: 1 },
      { name: 'b', id: 2, size: 2 },
    ]
    await expect(db.transaction().execute((trx) => insertMany(trx, 'bulk_items', mixed, 2))).rejects.toThrow(/same keys in the same order/)
    expect(await db.selectFrom('bulk_items').selectAll().execute()).toEqual([])
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
