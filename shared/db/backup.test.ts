import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { describe, expect, it, vi } from 'vitest'
import { backupPostgres, findPgDump } from './backup.postgres.server.ts'
import { backupCommand, backupDatabase } from './backup.server.ts'
import { openDatabase } from './database.server.ts'
import { testDatabaseLocation, testDialect } from './test-database.ts'

describe('backupDatabase', () => {
  it('copies a live database (WAL included) into a file that opens with the same data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-backup-'))
    const live = openDatabase(join(dir, 'live.db'))
    try {
      await sql`create table notes (body text)`.execute(live)
      await sql`insert into notes values ('kept')`.execute(live) // still in the WAL, not checkpointed
      await backupDatabase(join(dir, 'live.db'), join(dir, 'copies/backup.db'))
      expect(statSync(join(dir, 'copies/backup.db')).mode & 0o777).toBe(0o600) // password hashes, addresses: the owner's alone
      const copy = openDatabase(join(dir, 'copies/backup.db'))
      expect((await sql<{ body: string }>`select body from notes`.execute(copy)).rows).toEqual([{ body: 'kept' }])
      expect((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(copy)).rows).toEqual([{ integrity_check: 'ok' }])
      await copy.destroy()
    } finally {
      await live.destroy()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('backupDatabase, on a busy store', () => {
  /** Runs `test` with a live database of about 8 MB (2,000 pages: many of the online backup API's steps of 100) in a folder of its own. */
  async function withBigLiveDatabase(test: (dir: string, live: SQLite.Database) => Promise<void>) {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-backup-'))
    const live = new SQLite(join(dir, 'live.db'))
    try {
      live.pragma('journal_mode = WAL')
      live.exec('create table notes (body text)')
      const insert = live.prepare('insert into notes values (?)')
      live.transaction(() => {
        for (let i = 0; i < 2000; i++) insert.run('x'.repeat(4000))
      })()
      await test(dir, live)
    } finally {
      live.close()
      await rm(dir, { recursive: true, force: true })
    }
  }

  /** The notes in a backup, once it opened whole. */
  function notesIn(file: string): number {
    const copy = new SQLite(file, { readonly: true })
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
      return (copy.prepare('select count(*) as n from notes').get() as { n: number }).n
    } finally {
      copy.close()
    }
  }

  it('finishes while another connection writes every millisecond (a copy in steps started again at each write)', () =>
    withBigLiveDatabase(async (dir, live) => {
      const writer = setInterval(() => live.prepare('insert into notes values (?)').run('new'), 1)
      try {
        const never = new Promise((_, reject) => setTimeout(() => reject(new Error('the backup never finished')), 4000).unref())
        await Promise.race([backupDatabase(join(dir, 'live.db'), join(dir, 'backup.db')), never])
      } finally {
        clearInterval(writer)
      }
      expect(notesIn(join(dir, 'backup.db'))).toBeGreaterThanOrEqual(2000)
    }))

  it('removes the partial files of killed backups to its name, not those of one still running', () =>
    withBigLiveDatabase(async (dir) => {
      const orphan = 'backup.db.999999999-0badc0de.partial' // no such process
      const running = `backup.db.${process.pid}-00c0ffee.partial` // this one: still running
      for (const name of [orphan, running, 'other.db.999999999-0badc0de.partial']) writeFileSync(join(dir, name), 'x')
      await backupDatabase(join(dir, 'live.db'), join(dir, 'backup.db'))
      expect(readdirSync(dir).sort()).toEqual(['backup.db', running, 'live.db', 'live.db-shm', 'live.db-wal', 'other.db.999999999-0badc0de.partial'].sort())
    }))

  it('writes a whole file when two backups of the same name run at once', () =>
    withBigLiveDatabase(async (dir) => {
      const destination = join(dir, 'backup.db')
      await Promise.all([backupDatabase(join(dir, 'live.db'), destination), backupDatabase(join(dir, 'live.db'), destination)])
      expect(readdirSync(dir).sort()).toEqual(['backup.db', 'live.db', 'live.db-shm', 'live.db-wal']) // no partial file left
      expect(notesIn(destination)).toBe(2000)
    }))
})

describe('backupDatabase, when it cannot finish', () => {
  it('leaves no partial file when aborted, and an earlier backup of that name as it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-backup-'))
    const live = openDatabase(join(dir, 'live.db'))
    try {
      await sql`create table notes (body text)`.execute(live)
      const destination = join(dir, 'backup.db')
      await backupDatabase(join(dir, 'live.db'), destination) // yesterday's
      await sql`insert into notes values ('new')`.execute(live)
      const aborted = AbortSignal.abort()
      await expect(backupDatabase(join(dir, 'live.db'), destination, { signal: aborted })).rejects.toThrow()
      expect(readdirSync(dir).sort()).toEqual(['backup.db', 'live.db', 'live.db-shm', 'live.db-wal'])
      const earlier = openDatabase(destination)
      expect((await sql`select body from notes`.execute(earlier)).rows).toEqual([]) // whole, and yesterday's
      await earlier.destroy()
    } finally {
      await live.destroy()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('refuses a device as the backup (renamed over, /dev/null would become a file): exit 2', () => {
    expect(() => backupCommand.check(['/dev/null'])).toThrow(
      expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/^backup: \/dev\/null is not a file \(a device, a pipe or a socket\)/) }),
    )
    expect(() => backupCommand.check([join(tmpdir(), 'tessera-backup-not-yet.db')])).not.toThrow() // a new file's name is fine
  })

  it('refuses the database itself as the backup: exit 2, nothing touched', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-backup-'))
    const live = openDatabase(join(dir, 'live.db'))
    try {
      await sql`create table notes (body text)`.execute(live)
      await sql`insert into notes values ('kept')`.execute(live)
      // Its own file by another name, or one SQLite keeps beside it (renamed over, the WAL would be lost).
      for (const name of ['live.db', 'live.db-wal', 'live.db-shm', 'live.db-journal']) {
        await expect(backupDatabase(join(dir, 'live.db'), join(dir, '.', name))).rejects.toMatchObject({
          exitCode: 2,
          message: expect.stringMatching(/is the database itself/),
        })
      }
      expect((await sql`select body from notes`.execute(live)).rows).toEqual([{ body: 'kept' }])
    } finally {
      await live.destroy()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

// pg_dump against the test PostgreSQL: only when the tests run there (npm run test:pg).
describe.skipIf(testDialect !== 'postgres')('backupPostgres', () => {
  it('writes a custom-format dump of the app’s schema that pg_restore brings back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-backup-'))
    const location = await testDatabaseLocation()
    const db = openDatabase(location)
    try {
      const { schema } = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!
      await sql`create table notes (body text)`.execute(db)
      await sql`insert into notes values ('kept')`.execute(db)
      const file = join(dir, 'copies/backup.dump')
      // As `node dist/server.js backup <file>` runs it: the schema is the connection's current one.
      const said = vi.spyOn(console, 'log').mockImplementation(() => {})
      await backupCommand.run([file], { db, config: { DATABASE_PATH: 'unused.db', DATABASE_URL: location } })
      expect(said).toHaveBeenCalledWith(
        expect.stringMatching(new RegExp(`^Backed up PostgreSQL at 127\\.0\\.0\\.1:\\d+/postgres \\(schema ${schema}\\) to ${file}`)),
      )
      said.mockRestore()
      expect(existsSync(`${file}.partial`)).toBe(false)
      // Restore it: the schema moved aside, pg_restore makes it again with its rows.
      await sql`alter schema ${sql.id(schema)} rename to ${sql.id(`${schema}_old`)}`.execute(db)
      const server = Object.assign(new URL(location), { search: '' }).href
      execFileSync(join(dirname(findPgDump()!), 'pg_restore'), [`--dbname=${server}`, file])
      expect((await sql<{ body: string }>`select body from notes`.execute(db)).rows).toEqual([{ body: 'kept' }])
    } finally {
      await db.destroy()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('leaves no file and never shows the password when pg_dump fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-backup-'))
    try {
      const url = new URL(await testDatabaseLocation())
      Object.assign(url, { username: 'nobody', password: 's3cret-pass' })
      url.pathname = '/no_such_database'
      const file = join(dir, 'backup.dump')
      const failed = backupPostgres(url.href, file).catch((error: Error) => error.message)
      expect(await failed).toMatch(/pg_dump .* failed, no backup written/)
      expect(await failed).not.toContain('s3cret-pass')
      expect(readdirSync(dir)).toEqual([])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('says exactly how to back up, without the password, when pg_dump is not installed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-backup-'))
    try {
      const failed = backupPostgres('postgres://shop:s3cret-pass@db.example:5433/tessera', join(dir, 'x.dump'), {
        search: { path: '', debianRoot: join(dir, 'none') },
      })
      const message = await failed.catch((error: Error) => error.message)
      expect(message).toMatch(/pg_dump is not installed here/)
      expect(message).toContain(`pg_dump --format=custom --file=${join(dir, 'x.dump')} 'postgres://shop@db.example:5433/tessera'`)
      expect(message).not.toContain('s3cret-pass')
      expect(readdirSync(dir)).toEqual([])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
