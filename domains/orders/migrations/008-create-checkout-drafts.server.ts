import type { Kysely } from 'kysely'
import { INT64 } from '#shared/db'

/**
 * The shipping address of a checkout posted after its session had ended, kept for the shopper's
 * return from logging in (checkout-draft.server.ts): found by the SHA-256 of a cookie's token,
 * for 30 minutes. Never a card.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('checkout_drafts')
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    .addColumn('cart_version', 'text', (col) => col.notNull())
    .addColumn('shipping', 'text', (col) => col.notNull())
    .addColumn('expires_at', INT64, (col) => col.notNull())
    .execute()
  await db.schema.createIndex('checkout_drafts_expiry').on('checkout_drafts').column('expires_at').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('checkout_drafts').execute()
}
