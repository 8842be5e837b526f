import { type Kysely, type RawBuilder, sql } from 'kysely'
import { dialectOf } from '#shared/db'
import { addSearchVector } from './007-search-words-as-sqlite-finds-them.server.ts'

/**
 * PostgreSQL: product and category names compared by code point (collation "C"), as SQLite's
 * BINARY compares them, whatever locale the database was created with: `sort=name` and the
 * category list read the same on both (under en_US.UTF-8, "Åland" sorted beside "Aland" and case
 * mixed). Their indexes are rebuilt with it. The generated search column reads `name`, so
 * PostgreSQL will not change the column under it: it is dropped and made again as migration 007
 * made it (a rewrite of the table: about 30 s a million products). SQLite: nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  await collateNames(db, sql`collate "C"`)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  await collateNames(db, sql`collate "default"`)
}

async function collateNames(db: Kysely<unknown>, collation: RawBuilder<unknown>): Promise<void> {
  await sql`alter table products drop column search_vector`.execute(db) // and its index, products_search
  await sql`alter table products alter column name type text ${collation}`.execute(db)
  await sql`alter table categories alter column name type text ${collation}`.execute(db)
  await addSearchVector(db)
}
