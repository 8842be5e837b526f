import { Migrator, sql, type Migration, type MigrationResult } from 'kysely'
import { dialectOf, type Db } from './database.server.ts'
import { legacyMigrationChecksum } from './legacy-migration-checksum.ts'
import { migrationChecksum } from './migration-checksum.ts'
import * as recordMigrationChecksums from './migrations/005-record-migration-checksums.server.ts'
import { withoutQueryTimeout } from './postgres-database.server.ts'

/**
 * Migrations keyed by a name unique across the app, e.g. `products/001-create-products`, in the
 * order they run; each with its file's text where the app has it (`source`), to notice an edit.
 */
export type MigrationSet = Record<string, Migration & { source?: MigrationSource }>

/** A migration's file and its text as the code has it now (the entry's `?raw` import). */
export interface MigrationSource {
  file: string
  text: string
}

/** The migrator's own: the table of checksums (run it with the rest; without it nothing is checked). */
export const migratorMigrations: Record<string, Required<Migration>> = {
  // The platform's migrations share one namespace, numbered across it (001-004: cache and jobs).
  'platform/005-record-migration-checksums': recordMigrationChecksums,
}

/**
 * PostgreSQL: how a migration waiting for a table lock gives way. A statement like `alter table`
 * queues for its lock behind a long transaction, and every query of live hosts on that table
 * queues behind it: the store would stall for as long as that transaction runs. Each wait is cut
 * at `lockTimeoutMs` instead (the migration's transaction rolls back), and the migration is tried
 * again after `lockPauseMs`, during which the queries that queued go through.
 */
export interface LockWaitOptions {
  lockTimeoutMs?: number
  lockAttempts?: number
  lockPauseMs?: number
  /** Where to say that a migration runs after a later one of its domain (see lateMigrations), or was edited after it ran (see editedMigrations): the log's warn. */
  warn?: (message: string) => void
  /** How to make this database afresh, for the warning of an edited migration (the dev server: delete its file). */
  afresh?: string
}

/** lock_not_available: a statement's wait for a lock ran past lock_timeout. */
const LOCK_NOT_AVAILABLE = '55P03'

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
export async function runMigrations(
  db: Db,
  migrations: MigrationSet,
  { lockTimeoutMs = 2_000, lockAttempts = 40, lockPauseMs = 3_000, warn = () => {}, afresh }: LockWaitOptions = {},
): Promise<MigrationResult[]> {
  // An index made over a big table may rightly take minutes; a wait for a lock may not.
  if (dialectOf(db) !== 'sqlite') {
    const givingWay = mapMigrations(migrations, (migration) => givingWayToLocks(migration, lockTimeoutMs))
    return withoutQueryTimeout(() => migrate(db, givingWay, { lockAttempts, lockPauseMs }, warn, afresh))
  }
  // Only outside a transaction does SQLite take this pragma: around the migrator's, then.
  const enforced = (await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)).rows[0]?.foreign_keys === 1
  await sql`pragma foreign_keys = off`.execute(db)
  try {
    return await migrate(db, mapMigrations(migrations, checkingForeignKeys), undefined, warn, afresh)
  } finally {
    if (enforced) await sql`pragma foreign_keys = on`.execute(db)
  }
}

const mapMigrations = (migrations: MigrationSet, wrap: (migration: Migration) => Migration): MigrationSet =>
  Object.fromEntries(Object.entries(migrations).map(([name, migration]) => [name, wrap(migration)]))

/** The migration, its waits for locks cut at `lockTimeoutMs` (PostgreSQL; for its transaction only). */
function givingWayToLocks(migration: Migration, lockTimeoutMs: number): Migration {
  return {
    ...migration,
    up: async (db) => {
      await sql`select set_config('lock_timeout', ${`${lockTimeoutMs}ms`}, true)`.execute(db)
      await migration.up(db)
    },
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

type Retries = Required<Pick<LockWaitOptions, 'lockAttempts' | 'lockPauseMs'>>

async function migrate(
  db: Db,
  migrations: MigrationSet,
  retries: Retries = { lockAttempts: 1, lockPauseMs: 0 },
  warn: (message: string) => void = () => {},
  afresh?: string,
): Promise<MigrationResult[]> {
  const schema = await postgresSchemaOf(db)
  const ran = await executedMigrations(db, schema)
  refuseRenamed(migrations, ran)
  for (const message of lateMigrations(migrations, ran)) warn(message)
  const results: MigrationResult[] = []
  let included: MigrationSet = {}
  for (const stretch of ascendingStretches(migrations)) {
    included = { ...included, ...stretch }
    const { error, results: stretchResults = [] } = await migrateStretch(db, schema, included, retries)
    results.push(...stretchResults)
    if (error) {
      const failed = stretchResults.find((result) => result.status === 'Error')?.migrationName
      const reason = error instanceof Error ? error.message : String(error)
      // None ran: the table that records them could not be made or read (a role without CREATE on
      // the schema: PostgreSQL 15's default for a role that does not own the database).
      const what = failed ? `Migration ${failed} failed` : 'Migrations could not start'
      const hint = failureHints[(error as { code?: string }).code ?? '']?.(retries) ?? ''
      throw new Error(`${what}: ${reason}${hint}`, { cause: error })
    }
  }
  for (const message of await editedMigrations(db, migrations, afresh)) warn(message)
  return results
}

/**
 * Every migration with its file's text has its checksum recorded the first time it is seen run
 * (as it runs, or at the first start with the checksums table, for those that ran before it); a
 * migration whose text no longer matches what was recorded is named: its edit never runs here,
 * and a new database gets the edited one, so the two differ. Said at every start until the text
 * is put back, and not refused: a start stopped by an edited comment or a harmless fix would take
 * the store down with it (docs/adding-a-domain.md). Nothing is checked without the checksums
 * table (`migratorMigrations` not in the set).
 */
async function editedMigrations(db: Db, migrations: MigrationSet, afresh = 'in development, a database made afresh runs it as it is now'): Promise<string[]> {
  const sums = Object.entries(migrations).flatMap(([name, { source }]) =>
    source ? [{ name, file: source.file, text: source.text, checksum: migrationChecksum(source.text) }] : [],
  )
  if (sums.length === 0) return []
  let recorded: Map<string, string>
  try {
    const { rows } = await sql<{ name: string; checksum: string }>`select name, checksum from tessera_migration_checksums`.execute(db)
    recorded = new Map(rows.map((row) => [row.name, row.checksum]))
  } catch {
    return []
  }
  const unrecorded = sums.filter(({ name }) => !recorded.has(name))
  if (unrecorded.length > 0) {
    const values = sql.join(unrecorded.map(({ name, checksum }) => sql`(${name}, ${checksum})`))
    // Hosts starting together record the same rows: the first one's stay.
    await sql`insert into tessera_migration_checksums (name, checksum) values ${values} on conflict (name) do nothing`.execute(db)
  }
  const differing = sums.filter(({ name, checksum }) => recorded.has(name) && recorded.get(name) !== checksum)
  // Recorded by the old lexer from the same text: no edit. Recorded anew, so it is read once.
  const reread = differing.filter(({ name, text }) => recorded.get(name) === legacyMigrationChecksum(text))
  for (const { name, checksum } of reread) await sql`update tessera_migration_checksums set checksum = ${checksum} where name = ${name}`.execute(db)
  return differing
    .filter((sum) => !reread.includes(sum))
    .map(
      ({ name, file }) =>
        `Migration ${name} (${file}) was edited after it ran on this database, so the edit never runs here, while a new database runs the edited one: put the file back as it was and write the change as a new migration (${afresh}). Comments and formatting do not count.`,
    )
}

const failureHints: Record<string, (retries: Retries) => string> = {
  '42501': () => ' (the database user needs CREATE on its schema: make it the owner, or GRANT CREATE ON SCHEMA)',
  [LOCK_NOT_AVAILABLE]: ({ lockAttempts }) =>
    ` (it gave way to another connection holding a table it changes, ${lockAttempts} times: a long transaction? Start again once it has ended)`,
}

/**
 * Migrates up to the end of a stretch. Ones that ran before but come in a later stretch are
 * listed (never run again) so Kysely does not call them missing. Another process may record more
 * of them between this read and Kysely's (it migrated every stretch while this one waited for the
 * lock): Kysely then calls the newcomer missing, and this reads the table again and retries.
 */
async function migrateStretch(
  db: Db,
  schema: string | undefined,
  included: MigrationSet,
  retries: Retries,
  attempts = 5,
): ReturnType<Migrator['migrateToLatest']> {
  for (let attempt = 1; ; attempt++) {
    const ran = Object.fromEntries((await executedMigrations(db, schema)).filter((name) => !(name in included)).map((name) => [name, alreadyRan]))
    const migrator = new Migrator({
      db,
      migrationTableSchema: schema,
      provider: { getMigrations: async () => ({ ...ran, ...included }) },
      allowUnorderedMigrations: true,
    })
    const outcome = await migrateWhenFree(migrator, retries)
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

/**
 * A domain's migration that has not run while a later one of the same domain has (a branch merged
 * after a release: `002` beside `003`) runs after it here, but before it on a new database. Not
 * refused (a deploy would stop on it), said: what each one's run needs of the other is the
 * author's to check, or to rename the newcomer to come last before it runs anywhere.
 */
export function lateMigrations(migrations: MigrationSet, ran: string[]): string[] {
  return Object.keys(migrations)
    .filter((name) => !ran.includes(name))
    .flatMap((name) => {
      const later = ran.filter((other) => domainOf(other) === domainOf(name) && other > name).sort()
      return later.length === 0
        ? []
        : [
            `Migration ${name} runs now, after ${later.at(-1)}, which ran before it here; on a new database it runs before. If they touch the same tables, rename it to come last in its domain before it runs anywhere.`,
          ]
    })
}

/** The domain a migration's name begins with: `orders` of `orders/002-…`. */
const domainOf = (name: string) => name.slice(0, name.indexOf('/'))

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
 * On PostgreSQL, a migration that gave way to a table lock (see LockWaitOptions) tries again.
 */
async function migrateWhenFree(migrator: Migrator, { lockAttempts, lockPauseMs }: Retries): ReturnType<Migrator['migrateToLatest']> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await migrator.migrateToLatest()
    const code = (outcome.error as { code?: string } | undefined)?.code
    const attempts = code?.startsWith('SQLITE_BUSY') ? 20 : code === LOCK_NOT_AVAILABLE ? lockAttempts : 1
    if (attempt >= attempts) return outcome
    await new Promise((resolve) => setTimeout(resolve, code === LOCK_NOT_AVAILABLE ? lockPauseMs : 50 * attempt))
  }
}
