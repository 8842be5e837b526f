import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { Db } from '#shared/db'
import type { CategoryId } from './listing-sql.server.ts'
import type { ProductSearch } from './search.server.ts'
import { isWholeWord, shopperWords } from './search-words.server.ts'

/**
 * SQLite's search: the FTS5 table products_fts (migration 001: name and description, unicode61
 * without diacritics, prefix indexes of 2 to 6 letters: migration 010), kept in step by triggers. Its rowid is
 * the product's id. FTS5 walks a word's matches newest first and stops at a LIMIT; what it does
 * not do cheaply is enter a long match list at a rowid (`rowid >= ?`: 8 ms for "ha" at a million
 * products) or rank with bm25 (which reads every match of each word for its weight: 7 ms). So
 * every query here is a walk from the newest (docs/decisions/014).
 */
export const sqliteSearch: ProductSearch = {
  toQuery: toFtsQuery,
  newestQuery: (db, p, category) => newest(db, p.match, category).limit(p.limit),
  // A column filter: every word in the name.
  inNameQuery: (db, p, category) => newest(db, sql<string>`'{name} : (' || ${p.match} || ')'`, category).limit(p.limit),
  inWindow: (query, p) => query.where(sql<SqlBool>`products.id in (select value from json_each(${p.ids}))`),
  upkeep: {
    triggers: ['products_fts_insert', 'products_fts_delete', 'products_fts_update'],
    rebuild: async (trx) => {
      await setHashSize(trx, REBUILD_HASH_BYTES)
      await sql`insert into products_fts(products_fts) values ('rebuild')`.execute(trx)
      await setHashSize(trx, DEFAULT_HASH_BYTES)
    },
  },
}

/**
 * FTS5 gathers new entries in memory and writes them out as a segment each time they pass its
 * `hashsize` (1 MB by default), merging segments as they pile up. Rebuilding a million products'
 * index in 1 MB pieces took 22 s here; in 64 MB ones 9.5 s (256 MB: 8.6 s for 200 MB more
 * memory). Writes of a shopper's size never reach either, so the default comes back after.
 */
const REBUILD_HASH_BYTES = 64 * 1024 * 1024
const DEFAULT_HASH_BYTES = 1024 * 1024

/** Written into the SQL: FTS5 takes an integer only, and better-sqlite3 binds a number as a real. */
async function setHashSize(trx: Db, bytes: number): Promise<void> {
  await sql`insert into products_fts(products_fts, rank) values ('hashsize', ${sql.lit(bytes)})`.execute(trx)
}

/** The ids of the matches (in the category, if one), newest first. */
function newest(db: Db, match: string | RawBuilder<string>, category: CategoryId | null) {
  const matches = db.selectFrom('products_fts').where('products_fts', 'match', match)
  const inCategory = category ? matches.innerJoin('products', 'products.id', 'products_fts.rowid').where('products.category_id', '=', category) : matches
  return inCategory.select('products_fts.rowid as id').orderBy('products_fts.rowid', 'desc')
}

/**
 * A shopper's words as an FTS5 query that can never be a syntax error or an injection: only
 * letters and digits survive, each word is quoted as a string and matched as a prefix (`"mug"*`;
 * a one-letter word whole: `"t"`), and all must match. `"`, `*`, `NEAR(`, `OR`, `-` are just words or nothing.
 * @example toFtsQuery('blue mu t') // '"blue"* "mu"* "t"'
 */
export function toFtsQuery(input: string): string | null {
  const words = shopperWords(input)
  if (words.length === 0) return null
  return words.map((word) => `"${word}"${isWholeWord(word) ? '' : '*'}`).join(' ')
}
