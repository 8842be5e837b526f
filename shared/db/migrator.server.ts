import { Migrator, sql, type Migration, type MigrationResult } from 'kysely'
import { dialectOf, type Db } from './database.server.ts'
import { withoutQueryTimeout } from './postgres-database.server.ts'

/** Migrations keyed by a name unique across the app, e.g. `products/001-create-products`, in the order they run. */
export type MigrationSet = Record<string, Migration>

/**
 * Runs every pending migration in the set's order (a domain's after those it depends on: see
 * `migrationsOf`) and records which ran in `kysely_migration`. Kysely runs pending migrations in
 * name order, so the set runs as consecutive stretches whose names ascend (`platform/…`, then
 * `auth/…` and `products/…`, then `orders/…`), each in one transaction (both dialects have
 * transactional DDL): a failure rolls its stretch back. Domains are added over time, so a new
 * domain's migrations may come before ones that already ran. On PostgreSQL, Kysely holds an
 * advisory lock meanwhile: hosts starting together migrate once. Throws, naming the failed
 * migration, when one fails.
 *
 * On SQLite, foreign keys are not enforced while migrations run, and each migration's end checks
 * them instead (a violation fails it): a table can then be made again (`remakeSqliteTable`), as
 * SQLite's docs prescribe, without dropping the old one deleting the rows that reference it.
 */
export async function runMigrations(db: Db, migrations: MigrationSet): Promise<MigrationResult[]> {
  // An index made over a big table may rightly take minutes.
  if (dialectOf(db) !== 'sqlite') return withoutQueryTimeout(() => migrate(db, migrations))
  // Only outside a transaction does SQLite take this pragma: around the migrator's, then.
  const enforced = (await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)).rows[0]?.foreign_keys === 1
  await sql`pragma foreign_keys = off`.execute(db)
  try {
    return await migrate(db, Object.fromEntries(Object.entries(migrations).map(([name, migration]) => [name, checkingForeignKeys(migration)])))
  } finally {
    if (enforced) await sql`pragma foreign_keys = on`.execute(db)
  }
}

/** The migration, then SQLite's check of every foreign key: a row left referring to nothing fails it. */
function checkingForeignKeys(migration: Migration): Migration {
  return {
    ...migration,
    up: async (db) => {
      await migration.up(db)
      const { rows } = await sql<{ table: string; rowid: number; parent: string }>`pragma foreign_key_check`.execute(db)
      if (rows.length > 0) {
        const first = rows[0]!
        throw new Error(`${rows.length} row(s) refer to nothing, the first ${first.table} ${first.rowid} (to ${first.parent})`)
      }
    },
  }
}

async function migrate(db: Db, migrations: MigrationSet): Promise<MigrationResult[]> {
  const schema = await postgresSchemaOf(db)
  refuseRenamed(migrations, await executedMigrations(db, schema))
  const results: MigrationResult[] = []
  let included: MigrationSet = {}
  for (const stretch of ascendingStretches(migrations)) {
    included = { ...included, ...stretch }
    const { error, results: stretchResults = [] } = await migrateStretch(db, schema, included)
    results.push(...stretchResults)
    if (error) {
      const failed = stretchResults.find((result) => result.status === 'Error')?.migrationName
      const reason = error instanceof Error ? error.message : String(error)
      // None ran: the table that records them could not be made or read (a role without CREATE on
      // the schema: PostgreSQL 15's default for a role that does not own the database).
      const what = failed ? `Migration ${failed} failed` : 'Migrations could not start'
      const hint =
        (error as { code?: unknown }).code === '42501' ? ' (the database user needs CREATE on its schema: make it the owner, or GRANT CREATE ON SCHEMA)' : ''
      throw new Error(`${what}: ${reason}${hint}`, { cause: error })
    }
  }
  return results
}

/**
 * Migrates up to the end of a stretch. Ones that ran before but come in a later stretch are
 * listed (never run again) so Kysely does not call them missing. Another process may record more
 * of them between this read and Kysely's (it migrated every stretch while this one waited for the
 * lock): Kysely then calls the newcomer missing, and this reads the table again and retries.
 */
async function migrateStretch(db: Db, schema: string | undefined, included: MigrationSet, attempts = 5): ReturnType<Migrator['migrateToLatest']> {
  for (let attempt = 1; ; attempt++) {
    const ran = Object.fromEntries((await executedMigrations(db, schema)).filter((name) => !(name in included)).map((name) => [name, alreadyRan]))
    const migrator = new Migrator({
      db,
      migrationTableSchema: schema,
      provider: { getMigrations: async () => ({ ...ran, ...included }) },
      allowUnorderedMigrations: true,
    })
    const outcome = await migrateWhenFree(migrator)
    const missing = outcome.error instanceof Error && outcome.error.message.startsWith('corrupted migrations: previously executed migration')
    if (!missing || attempt === attempts) return outcome
  }
}

/**
 * A migration file renamed after it ran would run again under its new name (its rows inserted
 * twice, a column added twice): a domain with a recorded migration the code no longer has and one
 * the code has that never ran stops the start, naming both. A recorded one alone is no rename (a
 * host of the previous release, started after a newer one migrated), nor a whole domain gone.
 */
function refuseRenamed(migrations: MigrationSet, ran: string[]): void {
  const domainOf = (name: string) => name.slice(0, name.indexOf('/'))
  const recorded = new Set(ran)
  for (const gone of ran.filter((name) => !(name in migrations))) {
    const fresh = Object.keys(migrations).find((name) => domainOf(name) === domainOf(gone) && !recorded.has(name))
    if (fresh) {
      throw new Error(
        `Migration ${gone} ran here but is no longer in the code, and ${fresh} never ran: renamed? A migration that ran keeps its file name (rename it back; make a change as a new migration).`,
      )
    }
  }
}

/** The set cut where a name sorts before the one it follows: each stretch is in name order. */
function ascendingStretches(migrations: MigrationSet): MigrationSet[] {
  const stretches: MigrationSet[] = []
  let previous: string | undefined
  for (const [name, migration] of Object.entries(migrations)) {
    if (previous === undefined || name < previous) stretches.push({})
    stretches.at(-1)![name] = migration
    previous = name
  }
  return stretches
}

const alreadyRan: Migration = {
  up: async () => {
    throw new Error('already ran')
  },
}

/** The migrations recorded as run (none before the first run). */
async function executedMigrations(db: Db, schema: string | undefined): Promise<string[]> {
  const table = schema ? sql.id(schema, 'kysely_migration') : sql.id('kysely_migration')
  try {
    return (await sql<{ name: string }>`select name from ${table}`.execute(db)).rows.map((row) => row.name)
  } catch {
    return []
  }
}

/**
 * The schema PostgreSQL puts new tables in (the search_path's first): Kysely's migrator looks for
 * its tables in any schema unless told which, and would take another schema's for this one's.
 */
async function postgresSchemaOf(db: Db): Promise<string | undefined> {
  if (dialectOf(db) !== 'postgres') return undefined
  return (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
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
