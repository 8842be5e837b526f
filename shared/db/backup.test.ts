import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { backupDatabase } from './backup.server.ts'
import { openDatabase } from './database.server.ts'

describe('backupDatabase', () => {
  it('copies a live database (WAL included) into a file that opens with the same data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-backup-'))
    const live = openDatabase(join(dir, 'live.db'))
    try {
      await sql`create table notes (body text)`.execute(live)
      await sql`insert into notes values ('kept')`.execute(live) // still in the WAL, not checkpointed
      await backupDatabase(join(dir, 'live.db'), join(dir, 'copies/backup.db'))
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
