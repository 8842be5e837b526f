import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { Db } from '#shared/db'
import type { CategoryId } from './listing-sql.server.ts'
import type { ProductSearch } from './search.server.ts'
import { rareWordsOf } from './rare-words.postgres.server.ts'
import { boundedSearch } from './search-bound.postgres.server.ts'
import { foldAccents, isWholeWord, shopperWords } from './search-words.server.ts'

/**
 * PostgreSQL's search: products.search_vector (migrations 001, 005 and 007: a generated tsvector of
 * the name, weight A, and the description, B, in the `simple` configuration: no stemming, letters
 * folded and words split as SQLite's unicode61 remove_diacritics 2 does) under the GIN index
 * products_search.
 */
export const postgresSearch: ProductSearch = {
  toQuery: toTsQuery,
  newestQuery: (db, p, category) => newest(db, matches(p.match), category).limit(p.limit),
  // Words each common but rare together ("mug a made for by in the with"): the GIN index would
  // gather every common word's matches whole (2.5 s at a million); it gathers the rare words' only
  // (rare-words.postgres.server.ts), each of those rows tested against every word, then ordered.
  // Materialised, so that the planner cannot walk products_pkey instead testing each row.
  rareWords: rareWordsOf,
  rareFirstQuery: (db, p, category) => {
    const candidates = db
      .selectFrom('products')
      .where(matches(p.rare))
      .where(sql<SqlBool>`ts_match_vq(products.search_vector, to_tsquery('simple', ${p.match}))`)
    const found = (category ? candidates.where('products.category_id', '=', category) : candidates).select('products.id')
    return db
      .with(
        (cte) => cte('found').materialized(),
        () => found,
      )
      .selectFrom('found')
      .select('found.id')
      .orderBy('found.id', 'desc')
      .limit(p.limit)
  },
  // Where a search's words are common together (12 words in 15 % of a million products), the
  // planner multiplies their rarities, expects a few hundred rows and takes the GIN index, which
  // intersects every word's list and rechecks lossy pages: 1.6-5.5 s for the 1,001 newest. Here they
  // are among the newest RECENT_PRODUCTS, each tested: 12-31 ms, and never more than that many rows.
  recentQuery: (db, p, category) => {
    const found = db.selectFrom(recentProducts(db, category ? RECENT_FOR_A_CATEGORY : RECENT_PRODUCTS).as('products')).where(matches(p.match))
    return (category ? found.where('products.category_id', '=', category) : found).select('products.id').orderBy('products.id', 'desc').limit(p.limit)
  },
  // Every word in the name: the same words restricted to the name's weight, A, checked on the
  // window's rows, read by id. PostgreSQL cannot tell the weight's rarity from its statistics:
  // a walk for words common in descriptions but in no name read every product (0.75 s at a million).
  inNameQuery: (db, p) =>
    db
      .selectFrom('products')
      .where(inIds(p.ids))
      .where(matches(inNameOnly(p.match)))
      .select('products.id'),
  inName: (rows) => rows.map((row) => row.id),
  inWindow: (query, p) => query.where(inIds(p.ids)),
  // The GIN walk of words that are each common but rare together can take seconds (3.5 s for
  // twelve matching none at a million), holding a pool's connection: SEARCH_TIMEOUT_MS bounds it.
  bounded: boundedSearch,
  // A generated column: the database keeps it, in a bulk load too (its GIN index is built once after, with the others).
  upkeep: { triggers: [], rebuild: async () => {} },
}

/** The ids of the products that `condition` holds for (in the category, if one), newest first. */
function newest(db: Db, condition: RawBuilder<SqlBool>, category: CategoryId | null) {
  const found = db.selectFrom('products').where(condition)
  return (category ? found.where('products.category_id', '=', category) : found).select('products.id').orderBy('products.id', 'desc')
}

/**
 * How many of the newest products recentQuery tests: where a search's words are in 5 % of
 * products or more, its window's 1,001 are among them. Testing them all costs 6-30 ms at a million.
 */
export const RECENT_PRODUCTS = 20_000
/**
 * With a category, the newest products of every category, its own tested (the category's id is
 * compared first, the cheaper test): a category of a tenth of the catalogue holds about 10,000 of
 * them. The twelve common words in kitchen: 1.6 s through the GIN walk, found here in ~67,000 rows;
 * where too few match, the whole first look costs 28 ms at a million (warm), 0.2 s cold.
 */
export const RECENT_FOR_A_CATEGORY = 100_000
/** The newest `count` products, walked back along the primary key: a bounded read whatever the words. */
const recentProducts = (db: Db, count: number) =>
  db
    .selectFrom('products')
    .select(['products.id', 'products.category_id', sql<string>`products.search_vector`.as('search_vector')])
    .orderBy('products.id', 'desc')
    .limit(sql.lit(count))

/** The products whose ids a JSON array lists: each read through the primary key. */
const inIds = (ids: string) => sql<SqlBool>`products.id in (select cast(value as integer) from json_array_elements_text(cast(${ids} as json)))`
const matches = (tsquery: string | RawBuilder<string>) => sql<SqlBool>`products.search_vector @@ to_tsquery('simple', ${tsquery})`
/**
 * toTsQuery's words matched in the name only, in SQL (the text is a parameter): `'mug':*` →
 * `'mug':*A`, `'t'` → `'t':A`, the name's weight. (Words hold no quote: each `'…'` is one lexeme.)
 */
const inNameOnly = (tsquery: string) => sql<string>`regexp_replace(${tsquery}, '(''[^'']*'')(:(\\*))?', '\\1:\\3A', 'g')`

/**
 * A shopper's words as a tsquery text that can never be a syntax error or an injection: only
 * letters and digits survive (no quote, `&`, `|`, `!`, `:`, `<->` or bracket can reach it), each
 * word is a quoted lexeme matched as a prefix (`'mug':*`; a one-letter word whole: `'t'`), and
 * all must match (`&`). `to_tsquery('simple', …)` lower-cases them as the column's `to_tsvector('simple', …)` did.
 * @example toTsQuery('blue mu t') // "'blue':* & 'mu':* & 't'"
 */
export function toTsQuery(input: string): string | null {
  const words = shopperWords(input)
  if (words.length === 0) return null
  return words.map((word) => lexemes(foldAccents(word))).join(' & ')
}

/**
 * A word as a prefix lexeme, or, when it holds a Greek mu, as either spelling of it: the shopper's
 * words are NFKC, where the micro sign µ is μ, which SQLite's tokenizer folds µ to as well; but
 * PostgreSQL's lower() keeps a name's µ, so "10µF" is found by `'10μf':* | '10µf':*`.
 */
function lexemes(word: string): string {
  const prefix = (spelling: string) => `'${spelling}'${isWholeWord(word) ? '' : ':*'}`
  const micro = word.replace(/[μΜ]/gu, 'µ')
  return micro === word ? prefix(word) : `(${prefix(word)} | ${prefix(micro)})`
}
