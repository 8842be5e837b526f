export { openDatabase, isDatabaseReady, type Database, type Db } from './database.server.ts'
export { runMigrations, type MigrationSet } from './migrator.server.ts'
export { backupDatabase, backupCommand } from './backup.server.ts'
export { compiledQuery } from './compiled-query.server.ts'
