import { sql } from 'kysely'
import { DataCache } from '#shared/cache'
import { compiledQuery, DEFAULT_QUERY_TIMEOUT_MS, type Db } from '#shared/db'
import { numberedLinks } from '#shared/ui'
import { CATALOGUE_TAG } from './cache-tags.ts'
import { cardColumns, categoryIdOf, listed, memoByShape, productColumns, sortKeyOf } from './listing-sql.server.ts'
import type { ListQuery, ProductPage, Sort } from './schemas.ts'
import { searchBudget, searchOf, type SearchBudget, type SearchLimits } from './search.server.ts'
import { SEARCH_WINDOW } from './search-window.ts'
import { searchKey } from './search-words.server.ts'

/**
 * A search ranks (or sorts) its window, its SEARCH_WINDOW newest matches, not all of them: "ha"
 * matches 128,000 of a million products. The window's ids, in the page's order, are worked out
 * once and kept (a DataCache dropped with the catalogue's pages, on every process, when an admin
 * changes the catalogue); each page then reads its own rows by id, as cheap as any listing's.
 * Relevance: the product named exactly as typed (found by name, from outside the window too),
 * then the products with every word in the name, then the rest, the newest first in each.
 * docs/decisions/014.
 */
export async function searchPage<Row extends { id: number }, Item>(
  db: Db,
  query: ListQuery & { q: string },
  match: string,
  rows: RowsById<Row>,
  toItem: (row: Row) => Item,
  limits: SearchLimits,
): Promise<ProductPage<Item>> {
  const sort = query.sort ?? 'relevance'
  const category = query.category ?? ''
  // SEARCH_TIMEOUT_MS bounds the whole search: the window's walk and the lookup of the name as typed.
  const budget = searchBudget(limits)
  // A category there is not: nothing matches, and the walk would read every match looking (1.5 s at a million).
  const known = !category || (await categoryNamed(db, { category })).length > 0
  // Kept by the search it is, not the text typed: "Mug!", "mug" and "MÚG ." walk once.
  const walked = known
    ? await searchWindows.get(db, JSON.stringify([searchKey(match), category, sort]), () => windowOf(db, { match, category, sort, budget }))
    : NONE
  const window = known && sort === 'relevance' ? await withExactNameFirst(db, walked, { q: query.q, category, budget }) : walked
  const total = window.ids.length
  const pageCount = Math.ceil(total / query.limit)
  const page = query.page === 'last' ? Math.max(pageCount, 1) : (query.page ?? 1)
  const ids = window.ids.slice((page - 1) * query.limit, page * query.limit)
  const found = new Map((ids.length ? await rows(db, idSlots(ids)) : []).map((row) => [row.id, row]))
  // In the window's order; a product deleted since the window was ranked is left out.
  const items = ids.flatMap((id) => (found.has(id) ? [toItem(found.get(id)!)] : []))
  return { items, total, totalExact: !window.more, page, pageCount, links: numberedLinks(page, pageCount) }
}

export type { SearchLimits }
/** SEARCH_TIMEOUT_MS's and DATABASE_QUERY_TIMEOUT_MS's defaults, for callers with no config (scripts, tests). */
export const DEFAULT_SEARCH_LIMITS: SearchLimits = { searchTimeoutMs: 2000, queryTimeoutMs: DEFAULT_QUERY_TIMEOUT_MS }
/** The limits a config sets: the search's own time, and each statement's, whose end is not the search's doing (503, not 422). */
export const searchLimitsOf = (config: { SEARCH_TIMEOUT_MS: number; DATABASE_QUERY_TIMEOUT_MS: number }): SearchLimits => ({
  searchTimeoutMs: config.SEARCH_TIMEOUT_MS,
  queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS,
})

/** A search's window: its products' ids in the page's order, and whether more products match than it holds. */
type SearchWindow = { ids: number[]; more: boolean }
type WindowParams = { match: string; category: string; sort: Sort; budget: SearchBudget }
const NONE: SearchWindow = { ids: [], more: false }

/** At most 500 searches × 1,000 ids (about 8 MB) per database; all dropped when the catalogue changes. */
const searchWindows = new DataCache<SearchWindow>({ tags: [CATALOGUE_TAG], maxEntries: 500 })
/** The product named exactly as typed, per text typed and category: a miss costs four probes of an index. */
const exactNames = new DataCache<{ id: number | null }>({ tags: [CATALOGUE_TAG], maxEntries: 2000 })

/**
 * Drops this process's ranked searches at once, for a write that may not revalidate the catalogue's
 * tag (a script, a test); the routes' revalidateTag drops them on every process.
 */
export const forgetSearches = () => searchWindows.invalidateAll()

/** Every query of it within the search's time (ProductSearch.bounded): the walk, and the sort or the tiers of its window. */
function windowOf(db: Db, p: WindowParams): Promise<SearchWindow> {
  const shape = { category: !!p.category }
  // One more than the window holds says whether there are more.
  const params = { match: p.match, category: p.category, limit: SEARCH_WINDOW + 1 }
  const search = searchOf(db)
  return search.bounded(db, p.budget, async (step) => {
    const recent = search.recentQuery ? await step((db) => recentMatches(shape)(db, params)) : []
    // The statistics it needs are kept (read at most every 10 minutes): mostly no query, so no step of its own.
    const rare = recent.length < params.limit && search.rareWords ? await search.rareWords(db, p.match, step) : null
    const walked =
      recent.length === params.limit ? recent : await step((db) => (rare ? rareFirstMatches(shape)(db, { ...params, rare }) : newestMatches(shape)(db, params)))
    const newest = walked.slice(0, SEARCH_WINDOW).map((row) => row.id)
    const more = walked.length > SEARCH_WINDOW
    if (newest.length === 0) return { ids: [], more }
    // The window's products are known now: sorting or tiering them reads them by id, never walks the matches again.
    const ids = JSON.stringify(newest)
    if (p.sort !== 'relevance') {
      const sorted = await step((db) => sortedWindow({ sort: p.sort })(db, { ids }))
      return { ids: sorted.map((row) => row.id), more }
    }
    const inName = new Set(search.inName(await step((db) => inNameOf(db, { match: p.match, ids })), p.match))
    const tier = (id: number) => (inName.has(id) ? 1 : 2)
    return { ids: newest.toSorted((a, b) => tier(a) - tier(b) || b - a), more }
  })
}

/**
 * The window with the product named exactly as typed first, from within it or older than it. Looked
 * up within what is left of the search's bound (a lookup waiting on a lock is the search's time too).
 */
async function withExactNameFirst(db: Db, window: SearchWindow, p: { q: string; category: string; budget: SearchBudget }): Promise<SearchWindow> {
  const exact = await exactNames.get(db, JSON.stringify([p.q, p.category]), () =>
    searchOf(db).bounded(db, p.budget, async (step) => {
      const [row] = await step((db) => exactName({ category: !!p.category })(db, { category: p.category, ...casings(p.q) }))
      return { id: row?.id ?? null }
    }),
  )
  if (exact.id === null) return window
  return { ids: [exact.id, ...window.ids.filter((id) => id !== exact.id)], more: window.more }
}

/** The name as typed, in the casings a catalogue writes names in: each one probe of products_name. */
function casings(name: string) {
  const title = name.toLowerCase().replace(/(^|\s)(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase())
  return { asTyped: name, lower: name.toLowerCase(), title, upper: name.toUpperCase() }
}

/** A page reads at most this many rows by id (the API's largest page): one statement, unused slots 0 (no product). */
const ID_SLOTS = 100
type IdSlots = Record<`id${number}`, number>
const idSlots = (ids: number[]): IdSlots => Object.fromEntries(Array.from({ length: ID_SLOTS }, (_, i) => [`id${i}`, ids[i] ?? 0]))
/** Rows of a page's products, in any order. */
export type RowsById<Row> = (db: Db, ids: IdSlots) => Promise<Row[]>

/*
 * The search's queries, compiled once per shape, and as Kysely builds them (exported for
 * query-plans.test.ts, which reads SQLite's and PostgreSQL's plans of exactly this SQL).
 */
type Params = { match: string; category: string; limit: number }
type InName = { match: string; ids: string }
const newestMatches = memoByShape((shape: { category: boolean }) => compiledQuery((db, p: Params) => newestMatchesQuery(db, shape, p)))
const rareFirstMatches = memoByShape((shape: { category: boolean }) => compiledQuery((db, p: Params & { rare: string }) => rareFirstMatchesQuery(db, shape, p)))
const recentMatches = memoByShape((shape: { category: boolean }) => compiledQuery((db, p: Params) => recentMatchesQuery(db, shape, p)))
const inNameOf = compiledQuery((db, p: InName) => inNameQuery(db, p))
const sortedWindow = memoByShape((shape: { sort: Sort }) => compiledQuery((db, p: { ids: string }) => sortedWindowQuery(db, shape, p)))
const exactName = memoByShape((shape: { category: boolean }) =>
  compiledQuery((db, p: ReturnType<typeof casings> & { category: string }) => exactNameQuery(db, shape, p)),
)
export const productsById = compiledQuery((db, p: IdSlots) => productColumns(byId(db, p)))
export const cardsById = compiledQuery((db, p: IdSlots) => cardColumns(byId(db, p)))
const categoryNamed = compiledQuery((db, p: { category: string }) => categoryIdOf(db, p))

const inCategory = (db: Db, shape: { category: boolean }, p: { category: string }) => (shape.category ? categoryIdOf(db, p) : null)

/** The ids of the `limit` newest matches (in the category): a walk of the search index, newest first, that stops there. */
export const newestMatchesQuery = (db: Db, shape: { category: boolean }, p: Params) => searchOf(db).newestQuery(db, p, inCategory(db, shape, p))
/** The `limit` newest matches, the index walked for the rare words only, where the dialect has this (ProductSearch.rareWords). */
export const rareFirstMatchesQuery = (db: Db, shape: { category: boolean }, p: Params & { rare: string }) =>
  searchOf(db).rareFirstQuery!(db, p, inCategory(db, shape, p))
/** The `limit` newest matches among the newest products, where the dialect has this first look (ProductSearch.recentQuery). */
export const recentMatchesQuery = (db: Db, shape: { category: boolean }, p: Params) => searchOf(db).recentQuery!(db, p, inCategory(db, shape, p))
/** The window's products, read by id, for telling which have every word in the name (see ProductSearch.inName). */
export const inNameQuery = (db: Db, p: InName) => searchOf(db).inNameQuery(db, p)

/** The window's ids in a sort's order: its products (at most SEARCH_WINDOW), each read by id. */
export function sortedWindowQuery(db: Db, shape: { sort: Sort }, p: { ids: string }) {
  const { column, order } = sortKeyOf(shape.sort)
  return searchOf(db).inWindow(listed(db), p).select('products.id').orderBy(sql.ref(column), order).orderBy('products.id', 'desc')
}

/**
 * A product named exactly as the shopper typed (in a catalogue's usual casings), in the category if
 * one is asked for. Names are not unique: of those alike, the newest, in its index's order (name,
 * id desc), which PostgreSQL's heap order (a bitmap scan's) is not.
 */
export function exactNameQuery(db: Db, shape: { category: boolean }, p: ReturnType<typeof casings> & { category: string }) {
  let named = db.selectFrom('products').select('products.id').where('products.name', 'in', [p.asTyped, p.lower, p.title, p.upper])
  if (shape.category) named = named.where('products.category_id', '=', categoryIdOf(db, p))
  return named.orderBy('products.name').orderBy('products.id', 'desc').limit(1)
}

/** Products (and their categories) by id, a page's at most. */
export const byId = (db: Db, p: IdSlots) =>
  listed(db).where(
    'products.id',
    'in',
    Array.from({ length: ID_SLOTS }, (_, i) => p[`id${i}`]!),
  )
