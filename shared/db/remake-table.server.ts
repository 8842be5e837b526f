import { sql, type Kysely } from 'kysely'
import type { Db } from './database.server.ts'

/**
 * Makes a SQLite table again under a new definition, keeping its rows, indexes and triggers: how
 * SQLite changes what ALTER TABLE cannot, such as a column's UNIQUE or CHECK (its docs' "twelve
 * steps": https://www.sqlite.org/lang_altertable.html#otheralter). `create(name)` creates the new
 * table under the name given; the columns both tables have are copied, rowids (and so ids) and
 * AUTOINCREMENT's count kept.
 * Only in a migration (runMigrations: foreign keys unenforced, checked after): with them enforced,
 * dropping the old table would delete, or cascade to, the rows that refer to it.
 * @example await remakeSqliteTable(db, 'products', (name) => db.schema.createTable(name)...execute())
 */
export async function remakeSqliteTable(db: Kysely<unknown> | Db, table: string, create: (name: string) => Promise<unknown>): Promise<void> {
  const enforced = (await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)).rows[0]?.foreign_keys
  if (enforced) throw new Error(`remakeSqliteTable(${table}): run it in a migration (foreign keys must not be enforced)`)
  const { rows: kept } = await sql<{ sql: string }>`
    select sql from sqlite_master where tbl_name = ${table} and type in ('index', 'trigger') and sql is not null order by type, name`.execute(db)
  const remade = `${table}_remade`
  await create(remade)
  const columnsOf = async (name: string) => (await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(db)).rows.map((c) => c.name)
  const remadeColumns = new Set(await columnsOf(remade))
  const shared = (await columnsOf(table)).filter((column) => remadeColumns.has(column)).map((column) => sql.id(column))
  await sql`insert into ${sql.table(remade)} (${sql.join(shared)}) select ${sql.join(shared)} from ${sql.table(table)}`.execute(db)
  // AUTOINCREMENT's high-water mark would go with the old table: the new one takes it over (and
  // keeps it through the rename), so a deleted row's id is never given again.
  if (await hasSequences(db)) {
    await sql`delete from sqlite_sequence where name = ${remade}`.execute(db)
    await sql`insert into sqlite_sequence (name, seq) select ${remade}, seq from sqlite_sequence where name = ${table}`.execute(db)
  }
  await sql`drop table ${sql.table(table)}`.execute(db)
  await sql`alter table ${sql.table(remade)} rename to ${sql.table(table)}`.execute(db)
  for (const { sql: definition } of kept) await sql.raw(definition).execute(db)
}

/** sqlite_sequence exists once a table with AUTOINCREMENT does. */
async function hasSequences(db: Kysely<unknown> | Db): Promise<boolean> {
  return (await sql`select 1 from sqlite_master where name = 'sqlite_sequence'`.execute(db)).rows.length > 0
}
