import type { Kysely } from 'kysely'
import { dialectOf } from '#shared/db'

/**
 * The orders' listings break ties by id, newest first (`created_at desc, id desc`). SQLite ends
 * every index with the rowid (the id), so `created_at` alone serves that order; a PostgreSQL
 * index holds only its columns, so its planner would sort every order before a cursor to order
 * the ties. On PostgreSQL orders_created and orders_user end with id (as products' migration 004
 * did for the catalogue); SQLite's stay as they are.
 */
const INDEXES = {
  orders_created: ['created_at', 'id'],
  orders_user: ['user_id', 'created_at', 'id'],
}

export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  for (const [name, columns] of Object.entries(INDEXES)) {
    await db.schema.dropIndex(name).execute()
    await db.schema.createIndex(name).on('orders').columns(columns).execute()
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return
  for (const [name, columns] of Object.entries(INDEXES)) {
    await db.schema.dropIndex(name).execute()
    await db.schema.createIndex(name).on('orders').columns(columns.slice(0, -1)).execute()
  }
}
