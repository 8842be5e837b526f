import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import type { Db } from './database.server.ts'
import { openSqlite } from './sqlite-database.server.ts'
import { testDialect } from './test-database.ts'

let db: Db | undefined
afterEach(() => db?.destroy())

describe.skipIf(testDialect !== 'sqlite')('a transaction SQLite ended itself', () => {
  it('fails with the error that ended it (a full disk, an I/O error, a trigger), not "cannot rollback"', async () => {
    db = openSqlite(':memory:')
    await sql`create table notes (text text)`.execute(db)
    // RAISE(ROLLBACK) ends the transaction as SQLITE_FULL or SQLITE_IOERR do, before Kysely's ROLLBACK.
    await sql`create trigger refuse before insert on notes when new.text = 'refused' begin select raise(rollback, 'the disk is full'); end`.execute(db)
    const failed = db.transaction().execute(async (trx) => {
      await sql`insert into notes values ('kept?')`.execute(trx)
      await sql`insert into notes values ('refused')`.execute(trx)
    })
    await expect(failed).rejects.toThrow('the disk is full')
    expect((await sql`select text from notes`.execute(db)).rows).toEqual([]) // nothing of it stayed
    await db.transaction().execute((trx) => sql`insert into notes values ('next')`.execute(trx)) // and the connection goes on
    expect((await sql`select text from notes`.execute(db)).rows).toEqual([{ text: 'next' }])
  })
})
