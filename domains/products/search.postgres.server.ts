import { sql, type SqlBool } from 'kysely'
import type { ProductSearch, SearchParams } from './search.server.ts'
import { shopperWords } from './search-words.ts'

/**
 * PostgreSQL's search: products.search_vector (migration 001: a generated tsvector of the name,
 * weight A, and the description, B, in the `simple` configuration: no stemming, like SQLite's
 * unicode61) under the GIN index products_search. The window is a range of products.id.
 */
export const postgresSearch: ProductSearch = {
  toQuery: toTsQuery,
  // upTo may be Number.MAX_SAFE_INTEGER (no upper bound): a bigint, compared with the integer id in its index all the same.
  inWindow: (query, p) => query.where(matches(p)).where(sql<SqlBool>`products.id between ${p.from} and cast(${p.upTo} as bigint)`),
  // ts_rank's weights are {D, C, B, A}: the name (A) weighs ten times the description (B), as SQLite's bm25 is told.
  byRelevance: (query, p) =>
    query.orderBy(sql`lower(products.name) = lower(${p.name})`, 'desc').orderBy(sql`ts_rank('{0, 0, 0.1, 1}', products.search_vector, to_tsquery('simple', ${p.match}))`, 'desc'),
  windowEdgeQuery(db, p, category) {
    let found = db.selectFrom('products').where(matches(p))
    if (category) found = found.where('products.category_id', '=', category)
    return found.select('products.id').orderBy('products.id', 'desc').limit(1).offset(p.offset)
  },
  windowCountQuery(db, p, category) {
    let count = db.selectFrom('products').where(matches(p)).where('products.id', '>=', p.from)
    if (category) count = count.where('products.category_id', '=', category)
    return count.select((eb) => eb.fn.countAll<number>().as('total'))
  },
  // A generated column: the database keeps it, in a bulk load too (its GIN index is built once after, with the others).
  upkeep: { triggers: [], rebuild: async () => {} },
}

const matches = (p: Pick<SearchParams, 'match'>) => sql<SqlBool>`products.search_vector @@ to_tsquery('simple', ${p.match})`

/**
 * A shopper's words as a tsquery text that can never be a syntax error or an injection: only
 * letters and digits survive (no quote, `&`, `|`, `!`, `:`, `<->` or bracket can reach it), each
 * word is a quoted lexeme matched as a prefix (`'mug':*`), and all must match (`&`).
 * `to_tsquery('simple', …)` lower-cases them as the column's `to_tsvector('simple', …)` did.
 * @example toTsQuery('blue mu') // "'blue':* & 'mu':*"
 */
export function toTsQuery(input: string): string | null {
  const words = shopperWords(input)
  if (words.length === 0) return null
  return words.map((word) => `'${word}':*`).join(' & ')
}
