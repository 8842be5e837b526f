import { sql, type RawBuilder } from 'kysely'
import type { Db } from '#shared/db'
import type { CategoryId, ProductSearch, SearchParams } from './search.server.ts'
import { SEARCH_WINDOW } from './search-window.ts'
import { shopperWords } from './search-words.ts'

/**
 * SQLite's search: the FTS5 table products_fts (migration 001: name and description, unicode61
 * without diacritics, prefix indexes of 2 and 3 letters), kept in step by triggers. Its rowid is
 * the product's id. FTS5 walks a word's matches newest first and stops at a LIMIT; what it does
 * not do cheaply is enter a long match list at a rowid (`rowid >= ?`: 8 ms for "ha" at a million
 * products) or rank with bm25 (which reads every match of each word for its weight: 7 ms). So the
 * window is the K newest matches, walked, and relevance is read from a second walk, of the names
 * (docs/decisions/014).
 */
export const sqliteSearch: ProductSearch = {
  toQuery: toFtsQuery,
  inWindow: (db, query, p, category) => query.where('products.id', 'in', newestMatches(db, p.match, p, category)).where('products.id', '>=', p.from),
  rankedPage(db, query, p, category) {
    // Every word in the name (a column filter): the window's name matches are among the K newest name matches.
    const namedMatches = newestMatches(db, sql<string>`'{name} : (' || ${p.match} || ')'`, p, category)
    // Ranked by id alone, then the page's rows read: sorting the window's full rows cost twice as much.
    const page = db
      .selectFrom(newestMatches(db, p.match, p, category).as('newest'))
      .select('newest.rowid')
      .where('newest.rowid', '>=', p.from)
      .orderBy(sql`newest.rowid = ${p.exact}`, 'desc')
      .orderBy((eb) => eb('newest.rowid', 'in', namedMatches), 'desc')
      .orderBy('newest.rowid', 'desc')
      .limit(p.limit)
      .offset(p.offset)
    return query
      .where('products.id', 'in', page)
      .orderBy(sql`products.id = ${p.exact}`, 'desc')
      .orderBy((eb) => eb('products.id', 'in', namedMatches), 'desc')
      .orderBy('products.id', 'desc')
  },
  windowEdgeQuery(db, p, category) {
    return matchesIn(db, p.match, category).select('products_fts.rowid as id').orderBy('products_fts.rowid', 'desc').limit(1).offset(p.offset)
  },
  matchCountQuery: (db, p, category) => matchesIn(db, p.match, category).select((eb) => eb.fn.countAll<number>().as('total')),
  upkeep: {
    triggers: ['products_fts_insert', 'products_fts_delete', 'products_fts_update'],
    rebuild: async (trx) => void (await sql`insert into products_fts(products_fts) values ('rebuild')`.execute(trx)),
  },
}

/** The rows of products_fts that match, in the category if one. */
function matchesIn(db: Db, match: string | RawBuilder<string>, category: CategoryId | null) {
  const matches = db.selectFrom('products_fts').where('products_fts', 'match', match)
  return category ? matches.innerJoin('products', 'products.id', 'products_fts.rowid').where('products.category_id', '=', category) : matches
}

/** The ids of the K newest matches up to `upTo` (in the category): a walk that stops after K. */
function newestMatches(db: Db, match: string | RawBuilder<string>, p: Pick<SearchParams, 'upTo'>, category: CategoryId | null) {
  return matchesIn(db, match, category).select('products_fts.rowid').where('products_fts.rowid', '<=', p.upTo).orderBy('products_fts.rowid', 'desc').limit(SEARCH_WINDOW)
}

/**
 * A shopper's words as an FTS5 query that can never be a syntax error or an injection: only
 * letters and digits survive, each word is quoted as a string and matched as a prefix (`"mug"*`),
 * and all must match. `"`, `*`, `NEAR(`, `OR`, `-` are just words or nothing.
 * @example toFtsQuery('blue mu') // '"blue"* "mu"*'
 */
export function toFtsQuery(input: string): string | null {
  const words = shopperWords(input)
  if (words.length === 0) return null
  return words.map((word) => `"${word.replaceAll('"', '""')}"*`).join(' ')
}
