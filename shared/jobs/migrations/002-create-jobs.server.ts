import { sql, type Kysely } from 'kysely'
import { generatedId, INT64 } from '#shared/db'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tessera_jobs')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('pending', 'running', 'done', 'failed')`))
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (col) => col.notNull().check(sql`max_attempts >= 1`))
    .addColumn('run_at', INT64, (col) => col.notNull())
    .addColumn('locked_until', INT64)
    .addColumn('locked_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', INT64, (col) => col.notNull())
    .addColumn('updated_at', INT64, (col) => col.notNull())
    .execute()
  // The claim looks for due pending jobs and expired running ones: both are (status, run_at/lease) scans.
  await db.schema.createIndex('tessera_jobs_due').on('tessera_jobs').columns(['status', 'run_at']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tessera_jobs').execute()
}
