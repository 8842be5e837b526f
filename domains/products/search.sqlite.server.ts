import { sql, type SqlBool } from 'kysely'
import type { Db } from '#shared/db'
import type { CategoryId } from './listing-sql.server.ts'
import type { ProductSearch } from './search.server.ts'
import { isWholeWord, shopperWords } from './search-words.server.ts'
import { foldWords, hasEveryWord, type SearchWord } from './words-in-name.server.ts'

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
  // The window's names, checked word by word here: FTS5's column filter (`{name} : (…)`) walked
  // every match of a word that few names hold (words-in-name.server.ts).
  inNameQuery: (db, p) => db.selectFrom('products').where(inIds(p.ids)).select(['products.id', 'products.name']),
  inName: (rows, match) => {
    const inName = hasEveryWord(searchWordsOf(match))
    return rows.flatMap((row) => (inName(row.name ?? '') ? [row.id] : []))
  },
  inWindow: (query, p) => query.where(inIds(p.ids)),
  // FTS5 walks its lists newest first and stops at the window: the slowest search measured at a
  // million took 63 ms (decision 014), and a statement here runs in this process, not in a pool.
  bounded: (db, _budget, work) => work((query) => query(db)),
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

/** The products whose ids a JSON array lists: each read through the primary key. */
const inIds = (ids: string) => sql<SqlBool>`products.id in (select value from json_each(${ids}))`

/** The ids of the matches (in the category, if one), newest first. */
function newest(db: Db, match: string, category: CategoryId | null) {
  const matches = db.selectFrom('products_fts').where('products_fts', 'match', match)
  const inCategory = category ? matches.innerJoin('products', 'products.id', 'products_fts.rowid').where('products.category_id', '=', category) : matches
  return inCategory.select('products_fts.rowid as id').orderBy('products_fts.rowid', 'desc')
}

/** toFtsQuery's words again, folded as the index holds them: `"Mug"* "t"` → mug (a prefix), t (whole). */
const searchWordsOf = (match: string): SearchWord[] =>
  Array.from(match.matchAll(/"([^"]*)"(\*?)/g), ([, word, star]) => ({ key: foldWords(word!), whole: !star }))

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
