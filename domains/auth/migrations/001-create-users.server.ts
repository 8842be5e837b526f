import { sql, type Kysely } from 'kysely'
import { generatedId, INT64 } from '#shared/db'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('email', 'text', (col) => col.notNull().unique())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('role', 'text', (col) => col.notNull().defaultTo('customer').check(sql`role in ('customer', 'admin')`))
    .addColumn('created_at', INT64, (col) => col.notNull())
    .addColumn('updated_at', INT64, (col) => col.notNull())
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('users').execute()
}
