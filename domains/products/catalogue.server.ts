import type { Selectable } from 'kysely'
import { compiledQuery, type Db } from '#shared/db'
import { formatPrice } from './money.ts'
import type { Category, Product, ProductCard } from './schemas.ts'
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

export const toCardOf = (row: CardRow): ProductCard => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  price: formatPrice(row.price_cents, row.currency),
  stock: row.stock,
  category: row.category,
})

const productById = compiledQuery((db, p: { id: number }) => products(db).where('products.id', '=', p.id))
const productBySlug = compiledQuery((db, p: { slug: string }) => products(db).where('products.slug', '=', p.slug))

/** One product by numeric id or by slug (the hottest read: compiled once). */
export async function findProduct(db: Db, idOrSlug: string | number): Promise<Product | undefined> {
  const key = String(idOrSlug)
  const [row] = /^\d+$/.test(key) ? await productById(db, { id: Number(key) }) : await productBySlug(db, { slug: key })
  return row && toProduct(row)
}

const productPageBySlug = compiledQuery((db, p: { slug: string }) =>
  products(db).select('categories.name as category_name').where('products.slug', '=', p.slug),
)

/** What a product's page shows: the product by its slug, and its category by name for the way back. */
export async function findProductPage(db: Db, slug: string): Promise<{ product: Product; category: Category } | undefined> {
  const [row] = await productPageBySlug(db, { slug })
  return row && { product: toProduct(row), category: { slug: row.category, name: row.category_name } }
}

/** The slug of the product that `slug` was the slug of before an admin changed it (migration 008). */
export async function movedProductSlug(db: Db, slug: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('product_old_slugs')
    .innerJoin('products', 'products.id', 'product_old_slugs.product_id')
    .select('products.slug')
    .where('product_old_slugs.slug', '=', slug)
    .executeTakeFirst()
  return row?.slug
}

/** Products by ids, in no particular order; unknown ids are left out. */
export async function getProductsByIds(db: Db, ids: readonly number[]): Promise<Product[]> {
  if (ids.length === 0) return []
  return (
    await products(db)
      .where('products.id', 'in', [...ids])
      .execute()
  ).map(toProduct)
}

/** By name, then slug (unique; names are not): the order of their index, categories_name, on both databases. */
export const categoriesQuery = (db: Db) => db.selectFrom('categories').select(['slug', 'name']).orderBy('name').orderBy('slug')
const categories = compiledQuery(categoriesQuery)

export async function listCategories(db: Db): Promise<Category[]> {
  return categories(db, {})
}

/** The newest products in stock, for the home page. */
export async function featuredProducts(db: Db, count = 8): Promise<Product[]> {
  return (await featuredQuery(db, count).execute()).map(toProduct)
}

export const featuredQuery = (db: Db, count: number) =>
  products(db).where('products.stock', '>', 0).orderBy('products.created_at', 'desc').orderBy('products.id', 'desc').limit(count)
