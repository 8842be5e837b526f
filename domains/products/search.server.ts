import type { Compilable, SelectQueryBuilder } from 'kysely'
import { dialectOf, type Database, type Db } from '#shared/db'
import { postgresSearch } from './search.postgres.server.ts'
import { sqliteSearch } from './search.sqlite.server.ts'

/**
 * The catalogue's full-text search in the database's own SQL: SQLite's FTS5 table
 * (search.sqlite.server.ts) or PostgreSQL's tsvector column (search.postgres.server.ts), twins
 * with the same rules: prefix matching, every word must match; by relevance, the product named
 * exactly as typed (any case) first, then those with every word in the name, then the rest, the
 * newest first within each. listing.server.ts builds its queries from these pieces without
 * knowing which; the shared tests (catalogue, search-window, api) run on both.
 */
export interface ProductSearch {
  /** The shopper's words as this dialect's query text: never a syntax error or an injection, whatever was typed; null when no word is left. */
  toQuery(input: string): string | null
  /** The listing narrowed to the matches (in the category, if one) whose ids are in the window, `from` to `upTo`. */
  inWindow<O>(db: Db, query: Listed<O>, p: SearchParams, category: CategoryId | null): Listed<O>
  /**
   * The window's page by relevance, best first: the `exact` product, then those with every word
   * in the name, then the rest, the newest first within each; `limit` rows from `offset`. The
   * caller adds no order or limit.
   */
  rankedPage<O>(db: Db, query: Listed<O>, p: SearchParams, category: CategoryId | null): Listed<O>
  /** The id of the `offset`-th newest match (in the category, if one), walking matches newest first. */
  windowEdgeQuery(db: Db, p: SearchParams, category: CategoryId | null): Compilable<{ id: number }>
  /** How many products match (in the category, if one): asked only when they are fewer than the window holds. */
  matchCountQuery(db: Db, p: SearchParams, category: CategoryId | null): Compilable<{ total: number }>
  /** For a bulk load: the triggers that keep the index row by row (turned off), and the one pass that builds it after. */
  upkeep: { triggers: string[]; rebuild(trx: Db): Promise<void> }
}

/** `match`: toQuery's text; the window's ids; `exact`: the id of the product named as typed (0: none); `offset` and `limit`: into the matches. */
export type SearchParams = { match: string; from: number; upTo: number; exact: number; offset: number; limit: number }
/** Products joined with their categories, as listings read them. */
export type Listed<O> = SelectQueryBuilder<Database, 'products' | 'categories', O>
/** A category's id, as a subquery of its slug. */
export type CategoryId = SelectQueryBuilder<Database, 'categories', { id: number }>

/** The search of this database's dialect. */
export function searchOf(db: Db): ProductSearch {
  return dialectOf(db) === 'postgres' ? postgresSearch : sqliteSearch
}
