import { sql, type Kysely } from 'kysely'
import { generatedId, INT64 } from '#shared/db'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tessera_cache_invalidations')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('tag', 'path')`))
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('created_at', INT64, (col) => col.notNull())
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tessera_cache_invalidations').execute()
}
