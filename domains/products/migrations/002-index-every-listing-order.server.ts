import type { Kysely } from 'kysely'

/**
 * An index for every (filter, sort) pair the catalogue offers, so each listing reads its page
 * off an index in order instead of sorting every match (domains/products/query-plans.test.ts
 * checks the plan of every shape). Listings break ties by id, newest first, whatever the sort:
 * `price_cents desc, id desc` is an index on price read backwards, but `price_cents asc, id desc`
 * needs its own, with `id desc` in it. Checkouts change stock only: none of these columns.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('products_price_asc').on('products').columns(['price_cents', 'id desc']).execute()
  await db.schema.dropIndex('products_name').execute()
  await db.schema.createIndex('products_name').on('products').columns(['name', 'id desc']).execute()
  // products_category (category_id, created_at) already serves the newest first in a category.
  await db.schema.createIndex('products_category_price').on('products').columns(['category_id', 'price_cents']).execute()
  await db.schema.createIndex('products_category_price_asc').on('products').columns(['category_id', 'price_cents', 'id desc']).execute()
  await db.schema.createIndex('products_category_name').on('products').columns(['category_id', 'name', 'id desc']).execute()
  // Every page lists the categories by name: read in order off a covering index, no sort.
  await db.schema.createIndex('categories_name').on('categories').columns(['name', 'slug']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    'categories_name',
    'products_category_name',
    'products_category_price_asc',
    'products_category_price',
    'products_name',
    'products_price_asc',
  ])
    await db.schema.dropIndex(name).execute()
  await db.schema.createIndex('products_name').on('products').column('name').execute()
}
