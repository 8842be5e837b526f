import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { backupPostgres } from './backup.postgres.server.ts'
import type { Db } from './database.server.ts'

/**
 * A consistent copy of a live database, taken with SQLite's online backup API: writers keep
 * writing while it runs, and the copy is one moment of the database, WAL included. Written beside
 * `destination` (under a name of its own: two backups at once each write a whole file) and renamed
 * when whole: a failure, or `signal` aborting it (Ctrl-C), leaves no file that would open as an
 * empty database, and an earlier backup of that name stays until the new one replaces it. The
 * database itself as `destination` is refused (exit 2): nothing would be copied.
 * @example await backupDatabase('data/tessera.db', 'backups/tessera-2026-11-25.db')
 */
export async function backupDatabase(source: string, destination: string, { signal }: { signal?: AbortSignal } = {}): Promise<{ pages: number }> {
  if (isTheDatabase(source, destination)) throw usageError(`backup: ${destination} is the database itself; name another file.`)
  mkdirSync(dirname(destination), { recursive: true })
  removeOrphanedPartials(destination)
  const partial = `${destination}.${process.pid}-${randomBytes(4).toString('hex')}.partial`
  const db = new SQLite(source, { readonly: true, fileMustExist: true })
  try {
    // Every page in one step: SQLite starts a copy made in steps again after any write between
    // two of them, so a store taking a few writes a second was never backed up. WAL lets the
    // writers write meanwhile. An abort stops it before that step, or discards its file after.
    const progress = () => {
      signal?.throwIfAborted()
      return 0x7fffffff
    }
    const { totalPages } = await db.backup(partial, { progress })
    signal?.throwIfAborted()
    // The store's data (password hashes, addresses): its owner's to read alone, whatever the umask.
    chmodSync(partial, 0o600)
    renameSync(partial, destination)
    return { pages: totalPages }
  } catch (err) {
    for (const file of [partial, `${partial}-journal`]) rmSync(file, { force: true })
    throw err
  } finally {
    db.close()
  }
}

/**
 * Partial files of earlier backups to this name whose process is gone (killed: SIGKILL, the OOM
 * killer), so a nightly backup killed now and then does not pile up copies of the database. One
 * whose process still runs is another backup under way: left alone.
 */
function removeOrphanedPartials(destination: string): void {
  const prefix = `${basename(destination)}.`
  for (const name of readdirSync(dirname(destination))) {
    const pid = name.startsWith(prefix) ? /^(\d+)-[0-9a-f]{8}\.partial(-journal)?$/.exec(name.slice(prefix.length))?.[1] : undefined
    if (pid && !isRunning(Number(pid))) rmSync(join(dirname(destination), name), { force: true })
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' // someone else's: running
  }
}

/** The database's file by another name (a link, `./`), or one of the files SQLite keeps beside it. */
function isTheDatabase(source: string, destination: string): boolean {
  if (['-wal', '-shm', '-journal'].some((suffix) => resolve(`${source}${suffix}`) === resolve(destination))) return true
  if (!existsSync(destination)) return false
  const [first, second] = [statSync(source), statSync(destination)]
  return first.dev === second.dev && first.ino === second.ino
}

const BACKUP_USAGE =
  "[file]  write a consistent online backup of the database (default: backups/tessera-<time>.db in the database's folder; on PostgreSQL backups/tessera-<time>.dump)"
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
    if (args[0]?.trim() === '') throw usageError(`backup: the file's name is empty. Usage: backup ${BACKUP_USAGE}`)
    if (args[0] !== undefined && existsSync(args[0]) && statSync(args[0]).isDirectory())
      throw usageError(`backup: ${args[0]} is a folder; name the backup's file. Usage: backup ${BACKUP_USAGE}`)
    // The backup is renamed over its name when whole: over /dev/null, the device would become a file.
    if (args[0] !== undefined && existsSync(args[0]) && !statSync(args[0]).isFile())
      throw usageError(`backup: ${args[0]} is not a file (a device, a pipe or a socket); name the backup's file. Usage: backup ${BACKUP_USAGE}`)
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
    // Beside the database by default: a folder the store may write to (a container's volume, a unit's ReadWritePaths).
    const destination = file ?? join(dirname(config.DATABASE_PATH), 'backups', `tessera-${time}.db`)
    // Ctrl-C or a stop: the copy stops before its step, or its file is discarded after it; no partial file is left.
    const interrupted = new AbortController()
    const stop = () => interrupted.abort()
    process.once('SIGINT', stop).once('SIGTERM', stop)
    try {
      const { pages } = await backupDatabase(config.DATABASE_PATH, destination, { signal: interrupted.signal })
      console.log(`Backed up ${config.DATABASE_PATH} to ${destination} (${pages} pages).`)
    } catch (err) {
      if (!interrupted.signal.aborted) throw err
      throw Object.assign(new Error(`backup: interrupted; nothing written to ${destination}.`), { exitCode: 130 })
    } finally {
      process.off('SIGINT', stop).off('SIGTERM', stop)
    }
  },
}
