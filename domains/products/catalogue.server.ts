import { sql, type Selectable, type SelectQueryBuilder } from 'kysely'
import { compiledQuery, type Database, type Db } from '#shared/db'
import { formatPrice } from './money.ts'
import { PAGE_SIZES, type Category, type ListQuery, type Product, type ProductCard, type Sort } from './schemas.ts'
import { toFtsQuery } from './search.server.ts'
import type { ProductsTable } from './tables.server.ts'

type ProductRow = Selectable<ProductsTable> & { category: string }

export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    priceCents: row.price_cents,
    price: formatPrice(row.price_cents, row.currency),
    currency: row.currency,
    stock: row.stock,
    category: row.category,
    imageUrl: row.image_url,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  }
}

/** Products with their category's slug: the base of every read. */
function products(db: Db) {
  return db.selectFrom('products').innerJoin('categories', 'categories.id', 'products.category_id').selectAll('products').select('categories.slug as category')
}

type CardRow = Pick<ProductRow, 'id' | 'slug' | 'name' | 'price_cents' | 'currency' | 'stock' | 'category'>

const toCardOf = (row: CardRow): ProductCard => ({ id: row.id, slug: row.slug, name: row.name, price: formatPrice(row.price_cents, row.currency), stock: row.stock, category: row.category })

export interface ProductPage<Item = Product> {
  items: Item[]
  total: number
  page: number
  pageCount: number
}

/** A page of the catalogue: searched (ranked, prefix matching), filtered, sorted. */
export async function listProducts(db: Db, query: ListQuery): Promise<ProductPage> {
  return listPage(db, query, productListing, toProduct)
}

/** The same page as cards, for listing pages: a third less read from SQLite, less to map. */
export async function listProductCards(db: Db, query: ListQuery): Promise<ProductPage<ProductCard>> {
  return listPage(db, query, cardListing, toCardOf)
}

/**
 * What the SQL depends on. The app's own page sizes are part of it, as literals: SQLite plans a
 * literal LIMIT better than a bound one (~11 % of /products, measured). Any other size (an API
 * client's `?limit=`) is bound, so no client can multiply the compiled statements.
 */
export type ListingShape = { search: boolean; category: boolean; sort: Sort; pageSize: number | null }
export type ListingParams = { match: string; category: string; limit: number; offset: number }
const literalPageSizes = new Set<number>(Object.values(PAGE_SIZES))
type Listing<Row> = (shape: ListingShape) => (db: Db, params: ListingParams) => Promise<Row[]>

async function listPage<Row, Item>(db: Db, query: ListQuery, listing: Listing<Row>, toItem: (row: Row) => Item): Promise<ProductPage<Item>> {
  const match = query.q ? toFtsQuery(query.q) : null
  if (query.q && !match) return { items: [], total: 0, page: query.page, pageCount: 0 } // only punctuation: nothing matches
  const shape = { search: !!match, category: !!query.category, sort: query.sort ?? (match ? 'relevance' : 'newest'), pageSize: literalPageSizes.has(query.limit) ? query.limit : null }
  const params = { match: match ?? '', category: query.category ?? '', limit: query.limit, offset: (query.page - 1) * query.limit }
  const [rows, [count]] = await Promise.all([listing(shape)(db, params), countQuery({ search: shape.search, category: shape.category })(db, params)])
  const total = Number(count?.total ?? 0)
  return { items: rows.map(toItem), total, page: query.page, pageCount: Math.ceil(total / query.limit) }
}

/*
 * The listing's SQL for one shape (search or not, category or not, which sort) is compiled on
 * first use: a few dozen shapes at most, each then reused with new values.
 */
const productListing = memoByShape((shape: ListingShape) => compiledQuery((db, p: ListingParams) => productListingQuery(db, shape, p)))
const cardListing = memoByShape((shape: ListingShape) => compiledQuery((db, p: ListingParams) => cardListingQuery(db, shape, p)))
const countQuery = memoByShape((shape: Pick<ListingShape, 'search' | 'category'>) => compiledQuery((db, p: ListingParams) => listingCountQuery(db, shape, p)))

/*
 * The listing's queries as Kysely builds them, exported for query-plans.test.ts, which reads
 * SQLite's plan of exactly this SQL for every shape.
 */
export function productListingQuery(db: Db, shape: ListingShape, p: ListingParams) {
  return ordered(filtered(db, shape, p).selectAll('products').select('categories.slug as category'), shape, p)
}

export function cardListingQuery(db: Db, shape: ListingShape, p: ListingParams) {
  return ordered(filtered(db, shape, p).select(['products.id', 'products.slug', 'products.name', 'products.price_cents', 'products.currency', 'products.stock', 'categories.slug as category']), shape, p)
}

/**
 * How many products the filters match. Without a search, the categories' counts (kept by
 * triggers, migration 003): one row for a category, a dozen for the whole catalogue.
 */
export function listingCountQuery(db: Db, shape: Pick<ListingShape, 'search' | 'category'>, p: ListingParams) {
  if (!shape.search) {
    const counts = db.selectFrom('categories').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('product_count'), eb.lit(0)).as('total'))
    return shape.category ? counts.where('slug', '=', p.category) : counts
  }
  let count = db.selectFrom('products').innerJoin('products_fts', 'products_fts.rowid', 'products.id').where('products_fts', 'match', p.match)
  if (shape.category) count = count.innerJoin('categories', 'categories.id', 'products.category_id').where('categories.slug', '=', p.category)
  return count.select((eb) => eb.fn.countAll<number>().as('total'))
}

/** Products and their categories, searched and filtered (columns are chosen after). */
function filtered(db: Db, shape: ListingShape, p: ListingParams) {
  let query = db.selectFrom('products').innerJoin('categories', 'categories.id', 'products.category_id')
  if (shape.search) query = query.innerJoin('products_fts', 'products_fts.rowid', 'products.id').where('products_fts', 'match', p.match)
  if (shape.category) query = query.where('categories.slug', '=', p.category)
  return query
}

function ordered<Row>(query: SelectQueryBuilder<Database, 'products' | 'categories', Row>, shape: ListingShape, p: ListingParams) {
  let sorted = query
  if (shape.sort === 'relevance' && shape.search) sorted = sorted.orderBy(sql`bm25(products_fts, 10.0, 1.0)`)
  else if (shape.sort === 'price-asc') sorted = sorted.orderBy('products.price_cents', 'asc')
  else if (shape.sort === 'price-desc') sorted = sorted.orderBy('products.price_cents', 'desc')
  else if (shape.sort === 'name') sorted = sorted.orderBy('products.name', 'asc')
  else sorted = sorted.orderBy('products.created_at', 'desc')
  return sorted.orderBy('products.id', 'desc').limit(shape.pageSize === null ? p.limit : sql.lit(shape.pageSize)).offset(p.offset)
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

const productById = compiledQuery((db, p: { id: number }) => products(db).where('products.id', '=', p.id))
const productBySlug = compiledQuery((db, p: { slug: string }) => products(db).where('products.slug', '=', p.slug))

/** One product by numeric id or by slug (the hottest read: compiled once). */
export async function findProduct(db: Db, idOrSlug: string | number): Promise<Product | undefined> {
  const key = String(idOrSlug)
  const [row] = /^\d+$/.test(key) ? await productById(db, { id: Number(key) }) : await productBySlug(db, { slug: key })
  return row && toProduct(row)
}

const productPageBySlug = compiledQuery((db, p: { slug: string }) => products(db).select('categories.name as category_name').where('products.slug', '=', p.slug))

/** What a product's page shows: the product by its slug, and its category by name for the way back. */
export async function findProductPage(db: Db, slug: string): Promise<{ product: Product; category: Category } | undefined> {
  const [row] = await productPageBySlug(db, { slug })
  return row && { product: toProduct(row), category: { slug: row.category, name: row.category_name } }
}

/** Products by ids, in no particular order; unknown ids are left out. */
export async function getProductsByIds(db: Db, ids: readonly number[]): Promise<Product[]> {
  if (ids.length === 0) return []
  return (await products(db).where('products.id', 'in', [...ids]).execute()).map(toProduct)
}

export const categoriesQuery = (db: Db) => db.selectFrom('categories').select(['slug', 'name']).orderBy('name')
const categories = compiledQuery(categoriesQuery)

export async function listCategories(db: Db): Promise<Category[]> {
  return categories(db, {})
}

/** The newest products in stock, for the home page. */
export async function featuredProducts(db: Db, count = 8): Promise<Product[]> {
  return (await featuredQuery(db, count).execute()).map(toProduct)
}

export const featuredQuery = (db: Db, count: number) => products(db).where('products.stock', '>', 0).orderBy('products.created_at', 'desc').orderBy('products.id', 'desc').limit(count)
