import { sql, type Kysely } from 'kysely'
import { dialectOf, generatedId, INT64 } from '#shared/db'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('categories')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .addColumn('name', 'text', (col) => col.notNull())
    .execute()
  await db.schema
    .createTable('products')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('slug', 'text', (col) => col.notNull().unique())
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
  await db.schema.createIndex('products_category').on('products').columns(['category_id', 'created_at']).execute()
  await db.schema.createIndex('products_created').on('products').column('created_at').execute()
  await db.schema.createIndex('products_price').on('products').column('price_cents').execute()
  await db.schema.createIndex('products_name').on('products').column('name').execute()
  if (dialectOf(db) === 'postgres') return createPostgresSearch(db)
  // SQLite's full-text index: FTS5, kept by triggers (search.server.ts queries it).
  await sql`create virtual table products_fts using fts5(name, description, content='products', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')`.execute(
    db,
  )
  await sql`create trigger products_fts_insert after insert on products begin
    insert into products_fts(rowid, name, description) values (new.id, new.name, new.description);
  end`.execute(db)
  await sql`create trigger products_fts_delete after delete on products begin
    insert into products_fts(products_fts, rowid, name, description) values ('delete', old.id, old.name, old.description);
  end`.execute(db)
  // Only text changes touch the index; stock and price updates (every checkout) do not.
  await sql`create trigger products_fts_update after update of name, description on products begin
    insert into products_fts(products_fts, rowid, name, description) values ('delete', old.id, old.name, old.description);
    insert into products_fts(rowid, name, description) values (new.id, new.name, new.description);
  end`.execute(db)
}

/**
 * PostgreSQL's full-text index: a tsvector of the name (weight A) and description (B), kept by
 * the database as a generated column, under a GIN index (search.postgres.server.ts queries it).
 * `simple`: no language's stemming, like SQLite's unicode61 tokenizer.
 */
async function createPostgresSearch(db: Kysely<unknown>) {
  await sql`alter table products add column search_vector tsvector not null generated always as (setweight(to_tsvector('simple', name), 'A') || setweight(to_tsvector('simple', description), 'B')) stored`.execute(
    db,
  )
  await sql`create index products_search on products using gin (search_vector)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'sqlite') await sql`drop table products_fts`.execute(db)
  await db.schema.dropTable('products').execute()
  await db.schema.dropTable('categories').execute()
}
