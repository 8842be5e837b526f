import { sql, type SqlBool } from 'kysely'
import type { ProductSearch } from './search.server.ts'
import { shopperWords } from './search-words.ts'

/**
 * SQLite's search: the FTS5 table products_fts (migration 001: name and description, unicode61
 * without diacritics, prefix indexes of 2 and 3 letters), kept in step by triggers. Its rowid is
 * the product's id, so the window is a rowid range FTS5 applies itself.
 */
export const sqliteSearch: ProductSearch = {
  toQuery: toFtsQuery,
  inWindow: (query, p) =>
    query
      .innerJoin('products_fts', 'products_fts.rowid', 'products.id')
      .where('products_fts', 'match', p.match)
      // The window, as a rowid range the search index applies itself (no row outside it is ranked).
      .where(sql<SqlBool>`products_fts.rowid between ${p.from} and ${p.upTo}`),
  // bm25 is lower for a better match; the name weighs ten times the description. Needs inWindow's join.
  byRelevance: (query, p) => query.orderBy(sql`products.name = ${p.name} collate nocase`, 'desc').orderBy(sql`bm25(products_fts, 10.0, 1.0)`),
  windowEdgeQuery(db, p, category) {
    let matches = db.selectFrom('products_fts').where('products_fts', 'match', p.match)
    if (category) matches = matches.innerJoin('products', 'products.id', 'products_fts.rowid').where('products.category_id', '=', category)
    return matches.select('products_fts.rowid as id').orderBy('products_fts.rowid', 'desc').limit(1).offset(p.offset)
  },
  windowCountQuery(db, p, category) {
    let count = db.selectFrom('products_fts').where('products_fts', 'match', p.match).where('products_fts.rowid', '>=', p.from)
    if (category) count = count.innerJoin('products', 'products.id', 'products_fts.rowid').where('products.category_id', '=', category)
    return count.select((eb) => eb.fn.countAll<number>().as('total'))
  },
  upkeep: {
    triggers: ['products_fts_insert', 'products_fts_delete', 'products_fts_update'],
    rebuild: async (trx) => void (await sql`insert into products_fts(products_fts) values ('rebuild')`.execute(trx)),
  },
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
