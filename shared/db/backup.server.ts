import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'

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

/** `node dist/server.js backup [file]`: the operator's command (see README, "Backup and restore"). */
export const backupCommand = {
  usage: '[file]  write a consistent online backup of the database (default backups/tessera-<time>.db)',
  // A backup taken before an upgrade must hold the old schema: never migrate first.
  migrate: false,
  async run([file]: string[], { config }: { config: { DATABASE_PATH: string } }): Promise<void> {
    const destination = file ?? `backups/tessera-${new Date().toISOString().replace(/[:.]/g, '-')}.db`
    const { pages } = await backupDatabase(config.DATABASE_PATH, destination)
    console.log(`Backed up ${config.DATABASE_PATH} to ${destination} (${pages} pages).`)
  },
}
