import { sql } from 'kysely'
import { dialectOf, type Database, type Db } from './database.server.ts'

/**
 * After a large load has committed (a seed command): SQLite folds its write-ahead log, by then
 * the size of the data, into the database file; PostgreSQL analyzes the loaded tables, so its
 * planner knows their new size and words before the first request (autovacuum would, later).
 * @example await seedCatalogue(db, count); await settleBulkLoad(db, ['products'])
 */
export async function settleBulkLoad(db: Db, tables: readonly (keyof Database & string)[]): Promise<void> {
  if (dialectOf(db) === 'postgres') await sql`analyze ${sql.join(tables.map((table) => sql.table(table)))}`.execute(db)
  else await sql`pragma wal_checkpoint(truncate)`.execute(db)
}
