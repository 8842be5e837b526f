import type { ColumnDefinitionBuilder, Kysely } from 'kysely'
import { dialectOf } from './database.server.ts'

/**
 * A primary key the database numbers itself, for a migration's `addColumn('id', 'integer', …)`:
 * SQLite's `autoincrement` (never reuses an id), PostgreSQL's identity column.
 * @example db.schema.createTable('reviews').addColumn('id', 'integer', generatedId(db))
 */
export function generatedId(db: Kysely<unknown>): (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return dialectOf(db) === 'postgres' ? (column) => column.primaryKey().generatedByDefaultAsIdentity() : (column) => column.primaryKey().autoIncrement()
}

/**
 * The column type of a time (milliseconds since 1970) or of a sum that may pass 2^31: SQLite's
 * integers are 64-bit whatever they are called; PostgreSQL's `integer` is 32-bit. Existing SQLite
 * databases keep the type they were made with (same storage).
 */
export const INT64 = 'bigint'
