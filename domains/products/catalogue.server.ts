import { sql, type Selectable } from 'kysely'
import type { Db } from '#shared/db'
import { formatPrice } from './money.ts'
import type { Category, ListQuery, Product, Sort } from './schemas.ts'
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

export interface ProductPage {
  items: Product[]
  total: number
  page: number
  pageCount: number
}

/** A page of the catalogue: searched (ranked, prefix matching), filtered, sorted. */
export async function listProducts(db: Db, query: ListQuery): Promise<ProductPage> {
  const match = query.q ? toFtsQuery(query.q) : null
  let filtered = products(db)
  if (match) filtered = filtered.innerJoin('products_fts', 'products_fts.rowid', 'products.id').where('products_fts', 'match', match)
  if (query.category) filtered = filtered.where('categories.slug', '=', query.category)
  if (query.q && !match) return { items: [], total: 0, page: query.page, pageCount: 0 } // only punctuation: nothing matches

  const sort: Sort = query.sort ?? (match ? 'relevance' : 'newest')
  let ordered = filtered
  if (sort === 'relevance' && match) ordered = ordered.orderBy(sql`bm25(products_fts, 10.0, 1.0)`)
  else if (sort === 'price-asc') ordered = ordered.orderBy('products.price_cents', 'asc')
  else if (sort === 'price-desc') ordered = ordered.orderBy('products.price_cents', 'desc')
  else if (sort === 'name') ordered = ordered.orderBy('products.name', 'asc')
  else ordered = ordered.orderBy('products.created_at', 'desc')

  const [rows, count] = await Promise.all([
    ordered.orderBy('products.id', 'desc').limit(query.limit).offset((query.page - 1) * query.limit).execute(),
    countOf(db, query, match),
  ])
  const total = Number(count.total)
  return { items: rows.map(toProduct), total, page: query.page, pageCount: Math.ceil(total / query.limit) }
}

/** How many products the filters match; the category join only when a category is asked for. */
function countOf(db: Db, query: ListQuery, match: string | null) {
  let count = db.selectFrom('products')
  if (match) count = count.innerJoin('products_fts', 'products_fts.rowid', 'products.id').where('products_fts', 'match', match)
  if (query.category) count = count.innerJoin('categories', 'categories.id', 'products.category_id').where('categories.slug', '=', query.category)
  return count.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
}

/** One product by numeric id or by slug. */
export async function findProduct(db: Db, idOrSlug: string | number): Promise<Product | undefined> {
  const key = String(idOrSlug)
  const row = await (/^\d+$/.test(key) ? products(db).where('products.id', '=', Number(key)) : products(db).where('products.slug', '=', key)).executeTakeFirst()
  return row && toProduct(row)
}

/** Products by ids, in no particular order; unknown ids are left out. */
export async function getProductsByIds(db: Db, ids: readonly number[]): Promise<Product[]> {
  if (ids.length === 0) return []
  return (await products(db).where('products.id', 'in', [...ids]).execute()).map(toProduct)
}

export async function listCategories(db: Db): Promise<Category[]> {
  return db.selectFrom('categories').select(['slug', 'name']).orderBy('name').execute()
}

/** The newest products in stock, for the home page. */
export async function featuredProducts(db: Db, count = 8): Promise<Product[]> {
  return (await products(db).where('products.stock', '>', 0).orderBy('products.created_at', 'desc').orderBy('products.id', 'desc').limit(count).execute()).map(toProduct)
}
