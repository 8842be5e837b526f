import { cacheMigrations } from '#shared/cache'
import { openDatabase, runMigrations, testDatabaseLocation, type Db } from '#shared/db'
import { defineDomain, type MigrationModule } from '#shared/domain'

/** A fresh database (in memory, or on the test PostgreSQL: see testDatabaseLocation) with the catalogue's tables (and the page cache's, which stock changes write to), for service tests. */
export async function catalogueDb(location?: string): Promise<Db> {
  const db = openDatabase(location ?? (await testDatabaseLocation()))
  const { migrations } = defineDomain({ name: 'products', migrations: import.meta.glob<MigrationModule>('./migrations/*.server.ts', { eager: true }) })
  await runMigrations(db, { ...cacheMigrations, ...migrations })
  return db
}
