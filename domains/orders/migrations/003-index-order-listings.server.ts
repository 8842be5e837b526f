import type { Kysely } from 'kysely'

/**
 * Indexes for the orders' listings (domains/products/query-plans.test.ts checks their plans):
 * everyone's orders newest first (/admin/orders) read backwards off created_at; a shopper's
 * totals on the dashboard counted and summed off an index alone (no row read per order); their
 * unread notifications newest first, off (user, read_at) in id order. A shopper's own orders
 * already have orders_user (user_id, created_at).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('orders_created').on('orders').column('created_at').execute()
  await db.schema.createIndex('orders_user_totals').on('orders').columns(['user_id', 'status', 'total_cents']).execute()
  await db.schema.createIndex('notifications_unread').on('notifications').columns(['user_id', 'read_at']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of ['notifications_unread', 'orders_user_totals', 'orders_created']) await db.schema.dropIndex(name).execute()
}
