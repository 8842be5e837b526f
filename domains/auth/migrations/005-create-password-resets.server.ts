import type { Kysely } from 'kysely'
import { INT64 } from '#shared/db'

/** Password-reset tokens, by their hash only (password-resets.server.ts): at most one live per account. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('password_resets')
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', INT64, (col) => col.notNull())
    .addColumn('expires_at', INT64, (col) => col.notNull())
    .execute()
  await db.schema.createIndex('password_resets_user_id').on('password_resets').column('user_id').execute()
  await db.schema.createIndex('password_resets_expires_at').on('password_resets').column('expires_at').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('password_resets').execute()
}
