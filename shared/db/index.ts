export { openDatabase, isDatabaseReady, type Database, type Db } from './database.server.ts'
export { isSqliteFileInPlace } from './sqlite-database.server.ts'
export { migratorMigrations, runMigrations, type MigrationSet, type MigrationSource } from './migrator.server.ts'
export { migrationSources } from './migration-sources.ts'
export { backupDatabase, backupCommand } from './backup.server.ts'
export { compiledQuery } from './compiled-query.server.ts'
export { insertMany, withIndexesDeferred } from './bulk-load.server.ts'
export { remakeSqliteTable } from './remake-table.server.ts'
export { seededRandom } from './seeded-random.ts'
export {
  decodeCursor,
  encodeCursor,
  findPosition,
  keysetPage,
  readOrder,
  readsBackwards,
  seekFrom,
  type Cursor,
  type Found,
  type KeysetPage,
  type Position,
  type PositionRefused,
  type Seek,
} from './keyset.ts'
export { dialectOf, type DatabaseLocation, type Dialect } from './database.server.ts'
export { generatedId, INT64 } from './schema-columns.ts'
export { databaseEnv, openTestDatabase, testDatabaseLocation, testDialect } from './test-database.ts'
export { writeAlone } from './write-lock.server.ts'
export { isForeignKeyViolation, isUniqueViolation } from './constraint-violations.ts'
export { reserveIds } from './reserve-ids.server.ts'
export { settleBulkLoad } from './settle-bulk-load.server.ts'
export { DEFAULT_QUERY_TIMEOUT_MS, openDedicatedConnection, withoutQueryTimeout } from './postgres-database.server.ts'
