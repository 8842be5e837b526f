import { Migrator, type Migration, type MigrationResult } from 'kysely'
import type { Db } from './database.server.ts'

/** Migrations keyed by a name unique across the app, e.g. `products/001-create-products`. */
export type MigrationSet = Record<string, Migration>

/**
 * Runs every pending migration in one transaction (SQLite has transactional DDL) and records
 * which ran in `kysely_migration`: a failure rolls the whole batch back. Domains are added over time, so a new domain's
 * migrations may sort before ones that already ran: order is kept within a domain only.
 * Throws, naming the failed migration, when one fails.
 */
export async function runMigrations(db: Db, migrations: MigrationSet): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
  })
  const { error, results = [] } = await migrateWhenFree(migrator)
  if (error) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
  return results
}

/**
 * Processes starting together (workers, a test's two servers) race to migrate. The one that
 * loses SQLite's write lock gets SQLITE_BUSY: it waits and tries again, then finds nothing to do.
 */
async function migrateWhenFree(migrator: Migrator, attempts = 20): ReturnType<Migrator['migrateToLatest']> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await migrator.migrateToLatest()
    const code = (outcome.error as { code?: string } | undefined)?.code
    if (!code?.startsWith('SQLITE_BUSY') || attempt === attempts) return outcome
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt))
  }
}
