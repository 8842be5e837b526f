import type { Kysely } from 'kysely'

/**
 * The migrator's own record of what each migration's file said when it ran (`migrationChecksum`):
 * one edited afterwards is warned of at every start. Migrations that ran before this one get
 * theirs at the next start (they cannot be checked further back).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tessera_migration_checksums')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('checksum', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tessera_migration_checksums').execute()
}
