import { type Kysely, sql } from 'kysely'
import { dialectOf } from '#shared/db'

/**
 * SQLite: the search index lists words by their first 2 to 12 letters, where it listed them by 2
 * to 6 (migration 010). FTS5 gathers an unlisted prefix's matches whole before its LIMIT, so every
 * word of 7 letters or more a shopper typed read its whole list: at a million products
 * "anywhere" took 61 ms, "designed" 62, "thoughtfully made" 60; listed, 3.6, 9.7 and 6.6 ms (the
 * same pages). The index grows from 473 to 541 MB a million products, and is made again here from
 * the table (docs/decisions/014). Words of 13 letters or more stay unlisted.
 * PostgreSQL: nothing (its search walks the newest products, or its GIN index).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'sqlite') await remakeSearchIndex(db, '2 3 4 5 6 7 8 9 10 11 12')
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'sqlite') await remakeSearchIndex(db, '2 3 4 5 6')
}

/** The same table (its triggers name it, and stay) with other prefixes, filled from the products in 64 MB pieces, as 010 does. */
async function remakeSearchIndex(db: Kysely<unknown>, prefixes: string): Promise<void> {
  await sql`drop table products_fts`.execute(db)
  await sql`create virtual table products_fts using fts5(name, description, content='products', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix=${sql.lit(prefixes)})`.execute(
    db,
  )
  await sql`insert into products_fts(products_fts, rank) values ('hashsize', ${sql.lit(64 * 1024 * 1024)})`.execute(db)
  await sql`insert into products_fts(products_fts) values ('rebuild')`.execute(db)
  await sql`insert into products_fts(products_fts, rank) values ('hashsize', ${sql.lit(1024 * 1024)})`.execute(db)
}
