import type { Generated } from 'kysely'

export interface CategoriesTable {
  id: Generated<number>
  slug: string
  name: string
  /** How many products it has: kept exact by triggers (migration 003), read for listings' totals. */
  product_count: Generated<number>
}

export interface ProductsTable {
  id: Generated<number>
  slug: string
  name: string
  description: string
  /** Integer cents: money is never a float. */
  price_cents: number
  currency: Generated<string>
  /** Never below zero: a CHECK constraint, and reserveStock's conditional UPDATE. */
  stock: number
  category_id: number
  image_url: string | null
  created_at: number
  updated_at: number
}

/** A slug a product had before (migration 008): its old address redirects to the product's page. */
export interface ProductOldSlugsTable {
  slug: string
  product_id: number
}

/** SQLite FTS5 index over name and description, kept in step with products by triggers. */
export interface ProductsFtsTable {
  rowid: number
  name: string
  description: string
  /** The hidden column named after the table: the left side of MATCH. */
  products_fts: string
}

declare module '#shared/db' {
  interface Database {
    categories: CategoriesTable
    products: ProductsTable
    products_fts: ProductsFtsTable
    product_old_slugs: ProductOldSlugsTable
  }
}
