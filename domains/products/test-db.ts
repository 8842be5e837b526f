import { cacheMigrations } from '#shared/cache'
import { openDatabase, runMigrations, type Db } from '#shared/db'
import { defineDomain, type MigrationModule } from '#shared/domain'

/** A fresh in-memory database with the catalogue's tables (and the page cache's, which stock changes write to), for service tests. */
export async function catalogueDb(path = ':memory:'): Promise<Db> {
  const db = openDatabase(path)
  const { migrations } = defineDomain({ name: 'products', migrations: import.meta.glob<MigrationModule>('./migrations/*.server.ts', { eager: true }) })
  await runMigrations(db, { ...cacheMigrations, ...migrations })
  return db
}
