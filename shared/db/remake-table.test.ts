import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from './database.server.ts'
import { runMigrations, type MigrationSet } from './migrator.server.ts'
import { remakeSqliteTable } from './remake-table.server.ts'

let db: Db
afterEach(() => db?.destroy())

/** A parent with a UNIQUE column, an index, a trigger and AUTOINCREMENT; a child that cascades from it. */
const tables: MigrationSet = {
  'test/001-tables': {
    up: async (trx) => {
      await sql`create table parent (id integer primary key autoincrement, code text not null unique, size integer)`.execute(trx)
      await sql`create index parent_size on parent (size)`.execute(trx)
      await sql`create table parent_log (code text)`.execute(trx)
      await sql`create trigger parent_logged after insert on parent begin insert into parent_log values (new.code); end`.execute(trx)
      await sql`create table child (id integer primary key, parent_id integer not null references parent (id) on delete cascade)`.execute(trx)
    },
  },
}

async function parentAndChild(): Promise<Db> {
  db = openDatabase(':memory:')
  await runMigrations(db, tables)
  await sql`insert into parent (code, size) values ('a', 1), ('b', 2), ('c', 3)`.execute(db)
  await sql`insert into child (id, parent_id) values (1, 1), (2, 2)`.execute(db)
  await sql`delete from parent where id = 3`.execute(db) // AUTOINCREMENT's mark is now above the last id
  return db
}
const definitions = async () =>
  (await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where tbl_name = 'parent' and type != 'table' order by name`.execute(db)).rows
const withoutUnique = (trx: Db) => (name: string) =>
  sql`create table ${sql.table(name)} (id integer primary key autoincrement, code text not null, size integer)`.execute(trx)

describe('remakeSqliteTable, in a migration', () => {
  it('makes the table again under the new definition, with its rows, ids, indexes, triggers and the rows that refer to it', async () => {
    await parentAndChild()
    const before = await definitions()
    // The whole set, as the app passes it: the one that ran, then the new one.
    await runMigrations(db, { ...tables, 'test/002-code-not-unique': { up: (trx) => remakeSqliteTable(trx, 'parent', withoutUnique(trx)) } })

    expect(await sql`select id, code, size from parent order by id`.execute(db).then((r) => r.rows)).toEqual([
      { id: 1, code: 'a', size: 1 },
      { id: 2, code: 'b', size: 2 },
    ])
    expect(await sql`select id, parent_id from child order by id`.execute(db).then((r) => r.rows)).toHaveLength(2) // no cascade
    expect(await definitions()).toEqual(before.filter((item) => !item.name.startsWith('sqlite_autoindex'))) // the constraint's index gone, the rest back
    await sql`insert into parent (code, size) values ('a', 4)`.execute(db) // no longer unique
    expect(await sql<{ id: number }>`select max(id) as id from parent`.execute(db).then((r) => r.rows[0]!.id)).toBe(4) // 3 is not given again
    expect(await sql`select code from parent_log`.execute(db).then((r) => r.rows.at(-1))).toEqual({ code: 'a' }) // the trigger is back
    // Foreign keys are enforced again after the migrations.
    await expect(sql`insert into child (id, parent_id) values (3, 99)`.execute(db)).rejects.toThrow(/FOREIGN KEY/)
    await sql`delete from parent where id = 1`.execute(db)
    expect(await sql`select id from child`.execute(db).then((r) => r.rows)).toEqual([{ id: 2 }]) // and cascade again
  })

  it('is refused outside a migration: dropping the old table would cascade to the rows that refer to it', async () => {
    await parentAndChild()
    await expect(db.transaction().execute((trx) => remakeSqliteTable(trx, 'parent', withoutUnique(trx)))).rejects.toThrow(/run it in a migration/)
    expect(await sql`select id from child`.execute(db).then((r) => r.rows)).toHaveLength(2)
  })

  it('fails the migration, and leaves everything as it was, when a row is left referring to nothing', async () => {
    await parentAndChild()
    const before = await definitions()
    const dropsAParent = { up: async (trx: Db) => void (await sql`delete from parent where id = 1`.execute(trx)) }
    await expect(runMigrations(db, { ...tables, 'test/002-orphan': dropsAParent })).rejects.toThrow(
      /test\/002-orphan failed: 1 row\(s\) refer to nothing, the first child 1 \(to parent\)/,
    )
    expect(await sql`select id from parent order by id`.execute(db).then((r) => r.rows)).toEqual([{ id: 1 }, { id: 2 }])
    expect(await definitions()).toEqual(before)
  })
})
