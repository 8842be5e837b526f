import { type Kysely, sql } from 'kysely'
import { dialectOf } from '#shared/db'

/**
 * SQLite: the search index lists words by their first 2 to 6 letters, where it listed them by 2
 * and 3. FTS5 walks a listed prefix's matches newest first and stops at the window; an unlisted
 * one (typing "wood", "woode") it gathers whole first, every word starting with it: at a million
 * products "made" took 27 ms, "with" 10 ms, 0.3-0.4 ms each listed. The index grows from 303 to
 * 473 MB a million products, and is made again here from the table: about 10 s a million
 * (docs/decisions/014). A longer word's prefix lists few words, each as common as itself at most.
 * PostgreSQL: nothing (its search walks the newest products, or its GIN index).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'sqlite') await remakeSearchIndex(db, '2 3 4 5 6')
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'sqlite') await remakeSearchIndex(db, '2 3')
}

/** The same table (its triggers name it, and stay) with other prefixes, filled from the products in 64 MB pieces, not 1 MB ones. */
async function remakeSearchIndex(db: Kysely<unknown>, prefixes: string): Promise<void> {
  await sql`drop table products_fts`.execute(db)
  await sql`create virtual table products_fts using fts5(name, description, content='products', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix=${sql.lit(prefixes)})`.execute(
    db,
  )
  await sql`insert into products_fts(products_fts, rank) values ('hashsize', ${sql.lit(64 * 1024 * 1024)})`.execute(db)
  await sql`insert into products_fts(products_fts) values ('rebuild')`.execute(db)
  await sql`insert into products_fts(products_fts, rank) values ('hashsize', ${sql.lit(1024 * 1024)})`.execute(db)
}
