import type { Kysely } from 'kysely'

/** The W3C traceparent of the request that queued a job (tracing on): its run links back to it. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tessera_jobs').addColumn('trace_context', 'text').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tessera_jobs').dropColumn('trace_context').execute()
}
