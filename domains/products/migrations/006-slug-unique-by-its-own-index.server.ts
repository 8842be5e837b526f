import { sql, type Kysely } from 'kysely'
import { dialectOf, generatedId, INT64, remakeSqliteTable } from '#shared/db'

/**
 * A product's slug is unique through an index of its own, `products_slug`, instead of the column's
 * UNIQUE constraint (migration 001). The same rule, but an index a bulk load can drop and build
 * once after (withIndexesDeferred) where a constraint's is kept and updated row by row: a
 * million products in slug-random order took 12 s more to insert with it (docs/decisions/013).
 * On SQLite the constraint is part of the table's definition, so the table is made again (a
 * million products: about a minute, once).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'postgres') await sql`alter table products drop constraint products_slug_key`.execute(db)
  else await remakeSqliteTable(db, 'products', (name) => createProducts(db, name, false))
  await db.schema.createIndex('products_slug').on('products').column('slug').unique().execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('products_slug').execute()
  if (dialectOf(db) === 'postgres') await sql`alter table products add constraint products_slug_key unique (slug)`.execute(db)
  else await remakeSqliteTable(db, 'products', (name) => createProducts(db, name, true))
}

/** SQLite's products table as migrations 001-005 left it, its slug's UNIQUE constraint or not. */
function createProducts(db: Kysely<unknown>, name: string, slugConstraint: boolean) {
  return db.schema
    .createTable(name)
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('slug', 'text', (col) => (slugConstraint ? col.notNull().unique() : col.notNull()))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('price_cents', 'integer', (col) => col.notNull().check(sql`price_cents > 0`))
    .addColumn('currency', 'text', (col) => col.notNull().defaultTo('USD'))
    .addColumn('stock', 'integer', (col) => col.notNull().check(sql`stock >= 0`))
    .addColumn('category_id', 'integer', (col) => col.notNull().references('categories.id'))
    .addColumn('image_url', 'text')
    .addColumn('created_at', INT64, (col) => col.notNull())
    .addColumn('updated_at', INT64, (col) => col.notNull())
    .execute()
}
