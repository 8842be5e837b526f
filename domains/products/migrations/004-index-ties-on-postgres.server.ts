import type { Kysely } from 'kysely'
import { dialectOf } from '#shared/db'

/**
 * Listings break ties by id, newest first (migration 002). SQLite ends every index with the rowid
 * (the id), so `created_at` alone serves `created_at desc, id desc`; a PostgreSQL index holds only
 * its columns, and its planner sorted every row before a cursor to order the ties (a deep page
 * cost what the catalogue holds). On PostgreSQL the indexes that lacked it end with id; SQLite's
 * stay as they are.
 */
const INDEXES = {
  products_created: ['created_at', 'id'],
  products_price: ['price_cents', 'id'],
  products_category: ['category_id', 'created_at', 'id'],
  products_category_price: ['category_id', 'price_cents', 'id'],
}

export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  for (const [name, columns] of Object.entries(INDEXES)) {
    await db.schema.dropIndex(name).execute()
    await db.schema.createIndex(name).on('products').columns(columns).execute()
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  for (const [name, columns] of Object.entries(INDEXES)) {
    await db.schema.dropIndex(name).execute()
    await db.schema.createIndex(name).on('products').columns(columns.slice(0, -1)).execute()
  }
}
