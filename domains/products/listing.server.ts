import { sql, type SelectQueryBuilder } from 'kysely'
import { compiledQuery, encodeCursor, findPosition, keysetPage, readOrder, seekFrom, type Database, type Db, type Seek } from '#shared/db'
import { HttpError } from '#shared/http'
import { linksAround, numberedLinks } from '#shared/ui'
import { toCardOf, toProduct } from './catalogue.server.ts'
import { MAX_NUMBERED_PAGE, PAGE_SIZES, type ListQuery, type Product, type ProductCard, type ProductPage, type Sort } from './schemas.ts'
import { searchOf } from './search.server.ts'
import { SEARCH_WINDOW } from './search-window.ts'

/** A page of the catalogue: searched (ranked, prefix matching), filtered, sorted. */
export async function listProducts(db: Db, query: ListQuery): Promise<ProductPage<Product>> {
  return listPage(db, query, productListing, toProduct)
}

/** The same page as cards, for listing pages: a third less read from SQLite, less to map. */
export async function listProductCards(db: Db, query: ListQuery): Promise<ProductPage<ProductCard>> {
  return listPage(db, query, cardListing, toCardOf)
}

/**
 * What the SQL depends on. The app's own page sizes are part of it, as literals: SQLite plans a
 * literal LIMIT better than a bound one (~11 % of /products, measured). Any other size (an API
 * client's `?limit=`) is bound, so no client can multiply the compiled statements. `seek`: how
 * the page is found (shared/db/keyset.ts); a search pages by number.
 */
export type ListingShape = { search: boolean; category: boolean; sort: Sort; pageSize: number | null; seek: Seek }
/**
 * `limit` is one more than the page holds: the extra row says whether there is a page beyond.
 * A search's candidates are the matches with ids from `from` to `upTo` (its window); `name`, as
 * typed, ranks a product of exactly that name first.
 */
export type ListingParams = { match: string; category: string; limit: number; offset: number; key: string | number; id: number; from: number; upTo: number; name: string; exact: number }
const literalPageSizes = new Set<number>(Object.values(PAGE_SIZES))
type Listing<Row> = (shape: ListingShape) => (db: Db, params: ListingParams) => Promise<Row[]>
type ListedRow = { id: number; created_at: number; price_cents: number; name: string }

/** Each sort's key: the column a keyset page seeks in, its order, and its type in a cursor. Ties: id, newest first. */
const SORT_KEYS = {
  newest: { column: 'products.created_at', order: 'desc', type: 'integer', of: (row: ListedRow) => row.created_at },
  'price-asc': { column: 'products.price_cents', order: 'asc', type: 'integer', of: (row: ListedRow) => row.price_cents },
  'price-desc': { column: 'products.price_cents', order: 'desc', type: 'integer', of: (row: ListedRow) => row.price_cents },
  name: { column: 'products.name', order: 'asc', type: 'text', of: (row: ListedRow) => row.name },
} as const
/** Without a search there is nothing to rank: relevance lists the newest first. */
const sortKeyOf = (sort: Sort) => SORT_KEYS[sort === 'relevance' ? 'newest' : sort]

const badPosition = () => new HttpError(400, 'invalid_query', 'Not a page position: follow the pagination’s links.', [{ path: ['after'], message: 'Not a page position' }])
const tooDeep = () =>
  new HttpError(400, 'invalid_query', `Page numbers go up to ${MAX_NUMBERED_PAGE} here: follow the pagination’s links (after=, before=, page=last).`, [{ path: ['page'], message: `Up to ${MAX_NUMBERED_PAGE}` }])

async function listPage<Row extends ListedRow, Item>(db: Db, query: ListQuery, listing: Listing<Row>, toItem: (row: Row) => Item): Promise<ProductPage<Item>> {
  const match = query.q ? searchOf(db).toQuery(query.q) : null
  const pageSize = literalPageSizes.has(query.limit) ? query.limit : null
  const params = { match: match ?? '', category: query.category ?? '', limit: query.limit + 1, offset: 0, key: 0, id: 0, from: 0, upTo: Number.MAX_SAFE_INTEGER, name: query.q ?? '', exact: 0 }
  if (query.q && !match) return { items: [], total: 0, totalExact: true, page: 1, pageCount: 0, links: numberedLinks(1, 0) } // only punctuation: nothing matches
  if (match) return searchPage(db, query, { ...params, pageSize }, listing, toItem)
  const sortKey = sortKeyOf(query.sort ?? 'newest')
  const found = findPosition(query, { key: sortKey.type, limit: query.limit, maxNumbered: MAX_NUMBERED_PAGE })
  if (found === 'bad-position') throw badPosition()
  if (found === 'too-deep') throw tooDeep()
  const { seek, cursor, offset } = found
  const shape = { search: false, category: !!query.category, sort: query.sort ?? 'newest', pageSize, seek }
  const [rows, [count]] = await Promise.all([listing(shape)(db, { ...params, offset, key: cursor?.key ?? 0, id: cursor?.id ?? 0 }), countQuery({ search: false, category: shape.category })(db, params)])
  const page = keysetPage(rows, { seek, limit: query.limit, offset, cursorOf: (row) => encodeCursor(sortKey.of(row), row.id) })
  // A page before a cursor that ran into the start is the first page, full.
  if (page.restart) return listPage(db, { ...query, before: undefined, page: 1 }, listing, toItem)
  const total = Number(count?.total ?? 0)
  return { items: page.rows.map(toItem), total, totalExact: true, page: seek === 'offset' ? found.page : null, pageCount: Math.ceil(total / query.limit), links: linksAround(page) }
}

/**
 * A search ranks (or sorts) its SEARCH_WINDOW newest matches, not all of them: "ha" matches
 * 128,000 of a million products, and ranking them all took 0.27 s a request. The window is the
 * matches from the K-th newest on (found by walking K entries of the search index, newest first),
 * so its pages are numbered and its total is exact up to K ("1,000+" beyond). A product named
 * exactly as typed ranks first even from outside the window (found by name in products_name).
 * docs/decisions/014.
 */
async function searchPage<Row extends ListedRow, Item>(db: Db, query: ListQuery, params: ListingParams & { pageSize: number | null }, listing: Listing<Row>, toItem: (row: Row) => Item): Promise<ProductPage<Item>> {
  const category = !!query.category
  const shape = { search: true, category, sort: query.sort ?? 'relevance', pageSize: params.pageSize, seek: 'offset' } as const
  const [[edge], [exact]] = await Promise.all([windowEdge({ category })(db, { ...params, offset: SEARCH_WINDOW - 1 }), exactName({ category })(db, { ...params, ...casings(params.name) })])
  const from = edge?.id ?? 0
  // Exactly the name typed, but older than the window: shown first, ahead of the window's best.
  const outside = shape.sort === 'relevance' && exact !== undefined && exact.id < from ? exact.id : null
  // A full window holds exactly SEARCH_WINDOW matches; only a smaller one is counted.
  const counted = edge === undefined ? Number((await countQuery({ search: true, category })(db, params))[0]?.total ?? 0) : SEARCH_WINDOW
  const total = counted + (outside === null ? 0 : 1)
  const pageCount = Math.ceil(total / query.limit)
  const page = query.page === 'last' ? Math.max(pageCount, 1) : query.page
  const first = outside !== null && page === 1 ? await listing(shape)(db, { ...params, from: outside, upTo: outside, limit: 1 }) : []
  const shift = outside === null ? 0 : 1 // the window's rows move one place down the pages
  const rows = await listing(shape)(db, { ...params, from, exact: exact?.id ?? 0, offset: Math.max(0, (page - 1) * query.limit - shift), limit: query.limit - first.length + 1 })
  const items = [...first, ...rows].slice(0, query.limit).map(toItem)
  return { items, total, totalExact: edge === undefined, page, pageCount, links: numberedLinks(page, pageCount) }
}


/** The name as typed, in the casings a catalogue writes names in: each one probe of products_name. */
function casings(name: string) {
  const title = name.toLowerCase().replace(/(^|\s)(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase())
  return { asTyped: name, lower: name.toLowerCase(), title, upper: name.toUpperCase() }
}

/*
 * The listing's SQL for one shape (search or not, category or not, which sort, how it seeks) is
 * compiled on first use: a few dozen shapes at most, each then reused with new values.
 */
const productListing = memoByShape((shape: ListingShape) => compiledQuery((db, p: ListingParams) => productListingQuery(db, shape, p)))
const cardListing = memoByShape((shape: ListingShape) => compiledQuery((db, p: ListingParams) => cardListingQuery(db, shape, p)))
const countQuery = memoByShape((shape: Pick<ListingShape, 'search' | 'category'>) => compiledQuery((db, p: ListingParams) => listingCountQuery(db, shape, p)))
const windowEdge = memoByShape((shape: Pick<ListingShape, 'category'>) => compiledQuery((db, p: ListingParams) => searchWindowQuery(db, shape, p)))
const exactName = memoByShape((shape: Pick<ListingShape, 'category'>) => compiledQuery((db, p: ListingParams & ReturnType<typeof casings>) => exactNameQuery(db, shape, p)))

/*
 * The listing's queries as Kysely builds them, exported for query-plans.test.ts, which reads
 * SQLite's and PostgreSQL's plans of exactly this SQL for every shape.
 */
export function productListingQuery(db: Db, shape: ListingShape, p: ListingParams) {
  return ordered(db, filtered(db, shape, p).selectAll('products').select('categories.slug as category'), shape, p)
}

export function cardListingQuery(db: Db, shape: ListingShape, p: ListingParams) {
  return ordered(
    db,
    filtered(db, shape, p).select(['products.id', 'products.slug', 'products.name', 'products.price_cents', 'products.currency', 'products.stock', 'products.created_at', 'categories.slug as category']),
    shape,
    p,
  )
}

/** The id of the oldest match in a search's window: the `offset`-th newest (none: the window holds every match). */
export function searchWindowQuery(db: Db, shape: Pick<ListingShape, 'category'>, p: ListingParams) {
  return searchOf(db).windowEdgeQuery(db, p, shape.category ? categoryIdOf(db, p) : null)
}

/** A product named exactly as the shopper typed (in a catalogue's usual casings), in the category if one is asked for. */
export function exactNameQuery(db: Db, shape: Pick<ListingShape, 'category'>, p: ReturnType<typeof casings> & Pick<ListingParams, 'category'>) {
  let named = db.selectFrom('products').select('products.id').where('products.name', 'in', [p.asTyped, p.lower, p.title, p.upper])
  if (shape.category) named = named.where('products.category_id', '=', categoryIdOf(db, p))
  return named.limit(1)
}

const categoryIdOf = (db: Db, p: Pick<ListingParams, 'category'>) => db.selectFrom('categories').select('id').where('slug', '=', p.category)

/**
 * How many products the filters match. Without a search, the categories' counts (kept by
 * triggers, migration 003): one row for a category, a dozen for the whole catalogue. A search
 * counts its matches: asked only when they are fewer than SEARCH_WINDOW.
 */
export function listingCountQuery(db: Db, shape: Pick<ListingShape, 'search' | 'category'>, p: ListingParams) {
  if (!shape.search) {
    const counts = db.selectFrom('categories').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('product_count'), eb.lit(0)).as('total'))
    return shape.category ? counts.where('slug', '=', p.category) : counts
  }
  return searchOf(db).matchCountQuery(db, p, shape.category ? categoryIdOf(db, p) : null)
}

/** Products and their categories, searched and filtered (columns are chosen after); by relevance, ranked and paged too. */
function filtered(db: Db, shape: ListingShape, p: ListingParams) {
  const query = db.selectFrom('products').innerJoin('categories', 'categories.id', 'products.category_id')
  if (!shape.search) return shape.category ? query.where('categories.slug', '=', p.category) : query
  // A search's window is in the category already.
  const category = shape.category ? categoryIdOf(db, p) : null
  return shape.sort === 'relevance' ? searchOf(db).rankedPage(db, query, p, category) : searchOf(db).inWindow(db, query, p, category)
}

/** The page's rows in reading order: from a cursor (read backwards for `before` and `last`), or at an offset. */
function ordered<Row>(db: Db, query: SelectQueryBuilder<Database, 'products' | 'categories', Row>, shape: ListingShape, p: ListingParams) {
  if (shape.sort === 'relevance' && shape.search) return query // ranked and paged by the search
  let sorted = query
  const { column, order } = sortKeyOf(shape.sort)
  if (shape.seek === 'after' || shape.seek === 'before') sorted = sorted.where(seekFrom(column, order, shape.seek, p.key, p.id, 'products.id'))
  sorted = sorted.orderBy(sql.ref(column), readOrder(order, shape.seek)).orderBy('products.id', readOrder('desc', shape.seek))
  const limited = sorted.limit(shape.pageSize === null ? p.limit : sql.lit(shape.pageSize + 1))
  return shape.seek === 'offset' ? limited.offset(p.offset) : limited
}

/** One value per distinct shape, made on first use. */
function memoByShape<Shape extends object, Value>(make: (shape: Shape) => Value): (shape: Shape) => Value {
  const made = new Map<string, Value>()
  return (shape) => {
    const key = Object.values(shape).join(' ')
    let value = made.get(key)
    if (value === undefined) made.set(key, (value = make(shape)))
    return value
  }
}
