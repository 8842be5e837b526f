import type { Kysely } from 'kysely'

/**
 * Visitors' carts by age: the hourly purge of those whose cookie has expired (30 days after it
 * was set: no browser can reach them) seeks this instead of reading every cart (cart.server.ts).
 * Not a partial index (where user_id is null): SQLite's planner took the unique index on user_id
 * for "user_id is null", then sorted every visitor's cart.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('carts_owner_age').on('carts').columns(['user_id', 'created_at']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('carts_owner_age').execute()
}
