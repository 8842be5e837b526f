import { sql } from 'kysely'
import { compiledQuery, encodeCursor, findPosition, keysetPage, readOrder, seekFrom, type Db, type Seek } from '#shared/db'
import { refusePosition } from '#shared/http'
import { linksAround, numberedLinks } from '#shared/ui'
import { toCardOf, toProduct } from './catalogue.server.ts'
import { cardColumns, categoryIdOf, listed, memoByShape, productColumns, sortKeyOf, type Listed, type ListedRow } from './listing-sql.server.ts'
import { MAX_NUMBERED_PAGE, PAGE_SIZES, type ListQuery, type Product, type ProductCard, type ProductPage, type Sort } from './schemas.ts'
import { cardsById, DEFAULT_SEARCH_LIMITS, productsById, searchPage, type RowsById, type SearchLimits } from './search-page.server.ts'
import { searchOf } from './search.server.ts'

/** A page of the catalogue: searched (ranked, prefix matching), filtered, sorted. */
export async function listProducts(db: Db, query: ListQuery, limits = DEFAULT_SEARCH_LIMITS): Promise<ProductPage<Product>> {
  return listPage(db, query, { listing: productListing, byId: productsById }, toProduct, limits)
}

/** The same page as cards, for listing pages: a third less read from SQLite, less to map. */
export async function listProductCards(db: Db, query: ListQuery, limits = DEFAULT_SEARCH_LIMITS): Promise<ProductPage<ProductCard>> {
  return listPage(db, query, { listing: cardListing, byId: cardsById }, toCardOf, limits)
}

/**
 * What the SQL depends on. The app's own page sizes are part of it, as literals: SQLite plans a
 * literal LIMIT better than a bound one (~11 % of /products, measured). Any other size (an API
 * client's `?limit=`) is bound, so no client can multiply the compiled statements. `seek`: how
 * the page is found (shared/db/keyset.ts). (A search pages otherwise: search-page.server.ts.)
 */
export type ListingShape = { category: boolean; sort: Sort; pageSize: number | null; seek: Seek }
/** `limit` is one more than the page holds: the extra row says whether there is a page beyond. */
export type ListingParams = { category: string; limit: number; offset: number; key: string | number; id: number }
type Listing<Row> = (shape: ListingShape) => (db: Db, params: ListingParams) => Promise<Row[]>
/** How a page's rows are read: a listing's, or a search's by id. */
type RowsOf<Row> = { listing: Listing<Row>; byId: RowsById<Row> }
const literalPageSizes = new Set<number>(Object.values(PAGE_SIZES))

async function listPage<Row extends ListedRow, Item>(
  db: Db,
  query: ListQuery,
  rows: RowsOf<Row>,
  toItem: (row: Row) => Item,
  limits: SearchLimits,
): Promise<ProductPage<Item>> {
  if (query.q) {
    // A search's pages are numbered (its links name them): a position from a listing means nothing in it.
    if (query.after !== undefined || query.before !== undefined) refusePosition({ refused: query.after !== undefined ? 'after' : 'before' })
    const match = searchOf(db).toQuery(query.q)
    if (!match) return { items: [], total: 0, totalExact: true, page: 1, pageCount: 0, links: numberedLinks(1, 0) } // only punctuation: nothing matches
    return searchPage(db, { ...query, q: query.q }, match, rows.byId, toItem, limits)
  }
  const sortKey = sortKeyOf(query.sort ?? 'newest')
  const found = findPosition(query, { key: sortKey.type, limit: query.limit, maxNumbered: MAX_NUMBERED_PAGE })
  if ('refused' in found) refusePosition(found)
  const { seek, cursor, offset } = found
  const shape = { category: !!query.category, sort: query.sort ?? 'newest', pageSize: literalPageSizes.has(query.limit) ? query.limit : null, seek }
  const params = { category: query.category ?? '', limit: query.limit + 1, offset, key: cursor?.key ?? 0, id: cursor?.id ?? 0 }
  const [listed, [count]] = await Promise.all([rows.listing(shape)(db, params), countQuery({ category: shape.category })(db, params)])
  const page = keysetPage(listed, { seek, limit: query.limit, offset, cursorOf: (row) => encodeCursor(sortKey.of(row), row.id) })
  // A page before a cursor that ran into the start is the first page, full.
  if (page.restart) return listPage(db, { ...query, before: undefined, page: 1 }, rows, toItem, limits)
  const total = Number(count?.total ?? 0)
  return {
    items: page.rows.map(toItem),
    total,
    totalExact: true,
    page: seek === 'offset' ? found.page : null,
    pageCount: Math.ceil(total / query.limit),
    links: linksAround(page),
  }
}

/*
 * The listing's SQL for one shape (category or not, which sort, how it seeks) is compiled on
 * first use: a few dozen shapes at most, each then reused with new values.
 */
const productListing = memoByShape((shape: ListingShape) => compiledQuery((db, p: ListingParams) => productListingQuery(db, shape, p)))
const cardListing = memoByShape((shape: ListingShape) => compiledQuery((db, p: ListingParams) => cardListingQuery(db, shape, p)))
const countQuery = memoByShape((shape: Pick<ListingShape, 'category'>) => compiledQuery((db, p: ListingParams) => listingCountQuery(db, shape, p)))

/*
 * The listing's queries as Kysely builds them, exported for query-plans.test.ts, which reads
 * SQLite's and PostgreSQL's plans of exactly this SQL for every shape.
 */
export const productListingQuery = (db: Db, shape: ListingShape, p: ListingParams) => ordered(productColumns(filtered(db, shape, p)), shape, p)
export const cardListingQuery = (db: Db, shape: ListingShape, p: ListingParams) => ordered(cardColumns(filtered(db, shape, p)), shape, p)

/**
 * How many products the filters match: the categories' counts (kept by triggers, migration 003),
 * one row for a category, a dozen for the whole catalogue.
 */
export function listingCountQuery(db: Db, shape: Pick<ListingShape, 'category'>, p: Pick<ListingParams, 'category'>) {
  const counts = db.selectFrom('categories').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('product_count'), eb.lit(0)).as('total'))
  return shape.category ? counts.where('slug', '=', p.category) : counts
}

/**
 * Products and their categories, filtered (columns are chosen after). A category is matched by its
 * id (a subquery of its slug), not through the join: PostgreSQL's planner then reads the page off
 * a (category_id, sort key) index whatever it knows of the categories table, which a ten-row
 * table may never have analyzed (a restored database); through the join it sorted the whole
 * category: 26 ms against 1.4 at 100,000 products (decision 014).
 */
const filtered = (db: Db, shape: ListingShape, p: ListingParams) =>
  shape.category ? listed(db).where('products.category_id', '=', categoryIdOf(db, p)) : listed(db)

/** The page's rows in reading order: from a cursor (read backwards for `before` and `last`), or at an offset. */
function ordered<Row>(query: Listed<Row>, shape: ListingShape, p: ListingParams) {
  const { column, order } = sortKeyOf(shape.sort)
  let sorted = query
  if (shape.seek === 'after' || shape.seek === 'before') sorted = sorted.where(seekFrom(column, order, shape.seek, p.key, p.id, 'products.id'))
  sorted = sorted.orderBy(sql.ref(column), readOrder(order, shape.seek)).orderBy('products.id', readOrder('desc', shape.seek))
  const limited = sorted.limit(shape.pageSize === null ? p.limit : sql.lit(shape.pageSize + 1))
  return shape.seek === 'offset' ? limited.offset(p.offset) : limited
}
