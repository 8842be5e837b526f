import type { Kysely } from 'kysely'

/**
 * The slugs a product had before an admin changed it, each leading to it: its old address (in
 * search engines, bookmarks, links elsewhere) answers a permanent redirect to the new one rather
 * than a 404. Gone with the product.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('product_old_slugs')
    .addColumn('slug', 'text', (col) => col.primaryKey())
    .addColumn('product_id', 'integer', (col) => col.notNull().references('products.id').onDelete('cascade'))
    .execute()
  // A product's old slugs go with it: found by product when it is deleted.
  await db.schema.createIndex('product_old_slugs_product').on('product_old_slugs').column('product_id').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('product_old_slugs').execute()
}
