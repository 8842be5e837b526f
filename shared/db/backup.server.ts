import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { backupPostgres } from './backup.postgres.server.ts'
import type { Db } from './database.server.ts'

/**
 * A consistent copy of a live database, taken with SQLite's online backup API: writers keep
 * writing while it runs, and the copy is one moment of the database, WAL included.
 * @example await backupDatabase('data/tessera.db', 'backups/tessera-2026-11-25.db')
 */
export async function backupDatabase(source: string, destination: string): Promise<{ pages: number }> {
  mkdirSync(dirname(destination), { recursive: true })
  const db = new SQLite(source, { readonly: true, fileMustExist: true })
  try {
    const { totalPages } = await db.backup(destination)
    return { pages: totalPages }
  } finally {
    db.close()
  }
}

const BACKUP_USAGE = '[file]  write a consistent online backup of the database (default backups/tessera-<time>.db, or .dump on PostgreSQL)'
/** Bad arguments: the process prints the message and exits 2 (it reads `exitCode`, as for shared/domain's UsageError, which this layer cannot import). */
const usageError = (message: string) => Object.assign(new Error(message), { exitCode: 2 })

/**
 * `node dist/server.js backup [file]`: the operator's command (see README, "Backup and restore").
 * SQLite: the online backup API; PostgreSQL: pg_dump's custom format, or exactly how to run it
 * (exit 1) when it is not installed.
 */
export const backupCommand = {
  usage: BACKUP_USAGE,
  // A backup taken before an upgrade must hold the old schema: never migrate first.
  migrate: false,
  // A mistyped DATABASE_PATH is an error, not an empty database backed up.
  existingDatabase: true,
  check(args: string[]): void {
    if (args.length > 1) throw usageError(`backup: one file at most, not ${args.length}. Usage: backup ${BACKUP_USAGE}`)
    if (args[0] !== undefined && existsSync(args[0]) && statSync(args[0]).isDirectory())
      throw usageError(`backup: ${args[0]} is a folder; name the backup's file. Usage: backup ${BACKUP_USAGE}`)
  },
  async run([file]: string[], { db, config }: { db: Db; config: { DATABASE_PATH: string; DATABASE_URL?: string } }): Promise<void> {
    const time = new Date().toISOString().replace(/[:.]/g, '-')
    if (config.DATABASE_URL) {
      const destination = file ?? `backups/tessera-${time}.dump`
      const { schema } = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!
      await backupPostgres(config.DATABASE_URL, destination, { schema: schema === 'public' ? undefined : schema })
      const { hostname, port, pathname } = new URL(config.DATABASE_URL)
      console.log(
        `Backed up PostgreSQL at ${hostname}:${port || 5432}/${pathname.slice(1)}${schema === 'public' ? '' : ` (schema ${schema})`} to ${destination} (pg_dump, custom format; restore with pg_restore).`,
      )
      return
    }
    const destination = file ?? `backups/tessera-${time}.db`
    const { pages } = await backupDatabase(config.DATABASE_PATH, destination)
    console.log(`Backed up ${config.DATABASE_PATH} to ${destination} (${pages} pages).`)
  },
}
