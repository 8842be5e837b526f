import { openDatabase, runMigrations, testDatabaseLocation, type Db } from '#shared/db'
import { defineDomain, type MigrationModule } from '#shared/domain'

/** A fresh database (in memory or a schema on the test PostgreSQL, unless a location is given) with the auth domain's tables, for tests. */
export async function authDb(location?: string): Promise<Db> {
  const db = openDatabase(location ?? (await testDatabaseLocation()))
  const { migrations } = defineDomain({ name: 'auth', migrations: import.meta.glob<MigrationModule>('./migrations/*.server.ts', { eager: true }) })
  await runMigrations(db, migrations)
  return db
}
