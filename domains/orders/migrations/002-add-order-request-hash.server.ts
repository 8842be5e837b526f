import type { Kysely } from 'kysely'

/**
 * The fingerprint of the request that placed an order with an Idempotency-Key (see
 * idempotency.server.ts): the same key sent with another request is refused, not replayed.
 * Orders placed before this migration have none and replay as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('request_hash', 'text').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('orders').dropColumn('request_hash').execute()
}
