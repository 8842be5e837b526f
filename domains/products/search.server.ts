import type { Compilable } from 'kysely'
import { dialectOf, type Db } from '#shared/db'
import type { CategoryId, Listed } from './listing-sql.server.ts'
import { postgresSearch } from './search.postgres.server.ts'
import { sqliteSearch } from './search.sqlite.server.ts'

/**
 * The catalogue's full-text search in the database's own SQL: SQLite's FTS5 table
 * (search.sqlite.server.ts) or PostgreSQL's tsvector column (search.postgres.server.ts), twins
 * with the same rules: prefix matching, every word must match, the newest matches first, and
 * "every word in the name" for relevance. search-page.server.ts ranks and pages with these
 * pieces without knowing which; the shared tests (catalogue, search-window, api) run on both.
 */
export interface ProductSearch {
  /** The shopper's words as this dialect's query text: never a syntax error or an injection, whatever was typed; null when no word is left. */
  toQuery(input: string): string | null
  /** The ids of the `limit` newest matches (in the category, if one), newest first: a walk of the index that stops there. */
  newestQuery(db: Db, p: Omit<SearchParams, 'ids'>, category: CategoryId | null): Compilable<{ id: number }>
  /**
   * A first look, bounded whatever the words, where the dialect has one: newestQuery's answer when
   * it finds `limit` matches (they are the newest), else newestQuery must be asked.
   */
  recentQuery?(db: Db, p: Omit<SearchParams, 'ids'>, category: CategoryId | null): Compilable<{ id: number }>
  /**
   * Where the dialect's index is slow to start from common words: of `match`, the rare words, as
   * this dialect's query text, for rareFirstQuery; null when newestQuery is the one to ask. What it
   * must read to tell (the column's statistics) goes through `step`, and only when not kept.
   */
  rareWords?(db: Db, match: string, step: SearchStep): Promise<string | null>
  /** newestQuery's answer, its index walked for the `rare` words only (rareWords), each found product tested against `match`. */
  rareFirstQuery?(db: Db, p: Omit<SearchParams, 'ids'> & { rare: string }, category: CategoryId | null): Compilable<{ id: number }>
  /**
   * The window's products (`ids`), read by id, for `inName`: those PostgreSQL finds with every word
   * in the name (the tsquery at the name's weight), or all of them with their names (SQLite: its
   * FTS5 column filter walks a word's whole list when few names hold it; words-in-name.server.ts).
   */
  inNameQuery(db: Db, p: Pick<SearchParams, 'ids' | 'match'>): Compilable<InNameRow>
  /** Of inNameQuery's rows, the ids of the products with every word of `match` in the name. */
  inName(rows: InNameRow[], match: string): number[]
  /** The listing narrowed to the window's products (`ids`). */
  inWindow<O>(query: Listed<O>, p: Pick<SearchParams, 'ids'>): Listed<O>
  /**
   * Runs a search's queries (`work`, each through the `step` it is given) within what is left of
   * the search's `budget` (its searchTimeoutMs, 0: no bound of its own, less what its other bounded
   * parts spent), else throws searchTooBroad: for a search whose cost the dialect cannot bound by
   * its SQL. Adds the time it took to `budget.spentMs`.
   */
  bounded<T>(db: Db, budget: SearchBudget, work: (step: SearchStep) => Promise<T>): Promise<T>
  /** For a bulk load: the triggers that keep the index row by row (turned off), and the one pass that builds it after. */
  upkeep: { triggers: string[]; rebuild(trx: Db): Promise<void> }
}

/**
 * How long a search may take on PostgreSQL, all its queries together (SEARCH_TIMEOUT_MS; 0: no
 * bound of its own), past which it answers 422 search_too_broad; and each statement's own bound,
 * the connection's (DATABASE_QUERY_TIMEOUT_MS; 0: none), past which it is the database's trouble (503).
 */
export type SearchLimits = { searchTimeoutMs: number; queryTimeoutMs: number }
/**
 * One search's bound across its bounded parts (the window's walk, the lookup of the name as typed):
 * its limits, and how much of searchTimeoutMs those parts have spent so far. One per search.
 */
export type SearchBudget = SearchLimits & { spentMs: number }
/** A search's budget, nothing spent yet. */
export const searchBudget = (limits: SearchLimits): SearchBudget => ({ ...limits, spentMs: 0 })
/** One query of a search, run on the `db` it is given (within what is left of the search's time). */
export type SearchStep = <R>(query: (db: Db) => Promise<R>) => Promise<R>

/** A row of inNameQuery: a product of the window, and its name where the dialect checks the words itself. */
export type InNameRow = { id: number; name?: string }

/** `match`: toQuery's text; `limit`: how many newest matches; `ids`: the window's, a JSON array (one parameter, any length). */
export type SearchParams = { match: string; limit: number; ids: string }

/** The search of this database's dialect. */
export function searchOf(db: Db): ProductSearch {
  return dialectOf(db) === 'postgres' ? postgresSearch : sqliteSearch
}
