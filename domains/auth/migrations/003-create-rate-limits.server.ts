import type { Kysely } from 'kysely'
import { INT64 } from '#shared/db'

/** The rate-limit counters, shared by every process and host using the database (rate-limit-store.server.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auth_rate_limits')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('hits', 'integer', (col) => col.notNull())
    .addColumn('window_ends', INT64, (col) => col.notNull())
    .addColumn('hold_until', INT64, (col) => col.notNull())
    .addColumn('hold_ms', INT64, (col) => col.notNull())
    .addColumn('expires_at', INT64, (col) => col.notNull())
    .execute()
  await db.schema.createIndex('auth_rate_limits_expires_at').on('auth_rate_limits').column('expires_at').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('auth_rate_limits').execute()
}
