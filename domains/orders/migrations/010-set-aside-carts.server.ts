import type { Kysely } from 'kysely'

/**
 * A visitor's cart merged into an account whose cart it would take past the most lines one cart
 * holds keeps what did not fit, set aside for that account (`set_aside_for`), no longer reached
 * by its cookie; its lines join the account's cart as room is made (shopper-cart.server.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('carts')
    .addColumn('set_aside_for', 'integer', (col) => col.references('users.id').onDelete('cascade'))
    .execute()
  await db.schema.createIndex('carts_set_aside_for').on('carts').column('set_aside_for').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('carts_set_aside_for').execute()
  await db.schema.alterTable('carts').dropColumn('set_aside_for').execute()
}
