import type { Kysely } from 'kysely'

/**
 * Checkout drafts are filed by whose checkout it was as well as by cart (checkout-draft.server.ts):
 * `cart_version` becomes `checkout_key`. The drafts kept until now (30 minutes' worth, each
 * filed by cart alone) are dropped: their shoppers retype the address.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.deleteFrom('checkout_drafts' as never).execute()
  await db.schema.alterTable('checkout_drafts').renameColumn('cart_version', 'checkout_key').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.deleteFrom('checkout_drafts' as never).execute()
  await db.schema.alterTable('checkout_drafts').renameColumn('checkout_key', 'cart_version').execute()
}
