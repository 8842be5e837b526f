import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CompiledQuery, type DatabaseConnection, sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { isDatabaseReady, type Db } from './database.server.ts'
import { openSqlite } from './sqlite-database.server.ts'
import { waitingForLocks } from './sqlite-lock-wait.server.ts'
import { testDialect } from './test-database.ts'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function twoConnections(): Promise<[Db, Db]> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-lock-wait-'))
  const [db, other] = [openSqlite(join(dir, 'shop.db')), openSqlite(join(dir, 'shop.db'))]
  cleanups.push(
    () => rm(dir, { recursive: true, force: true }),
    () => db.destroy(),
    () => other.destroy(),
  )
  await sql`create table notes (text text)`.execute(db)
  return [db, other]
}

/** How many times a 5 ms timer fired during `ms`: near ms / 5 when nothing blocks the process. */
async function timerTicks(ms: number): Promise<number> {
  let ticks = 0
  const timer = setInterval(() => ticks++, 5)
  await new Promise((resolve) => setTimeout(resolve, ms))
  clearInterval(timer)
  return ticks
}

describe.skipIf(testDialect !== 'sqlite')('a write while another process holds SQLite’s write lock', () => {
  it('waits for the lock without blocking the process, then writes', async () => {
    const [db, other] = await twoConnections()
    let release!: () => void
    let held!: () => void
    const holding = new Promise<void>((resolve) => (held = resolve))
    const transaction = other.transaction().execute(async (trx) => {
      await sql`insert into notes values ('first')`.execute(trx)
      held()
      await new Promise<void>((resolve) => (release = resolve))
    })
    await holding
    const write = sql`insert into notes values ('second')`.execute(db)
    // The process keeps serving (timers fire) while the write waits, and says it is ready at once.
    expect(await timerTicks(200)).toBeGreaterThan(10)
    const asked = performance.now()
    expect(await isDatabaseReady(db)).toBe(true)
    expect(performance.now() - asked).toBeLessThan(100)
    release()
    await transaction
    await write
    expect((await sql<{ text: string }>`select text from notes order by rowid`.execute(db)).rows.map((row) => row.text)).toEqual(['first', 'second'])
  })
})

describe('waitingForLocks', () => {
  const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })
  const query = CompiledQuery.raw('begin immediate')

  function failing(error: Error): DatabaseConnection & { attempts: number } {
    return {
      attempts: 0,
      executeQuery() {
        this.attempts++
        throw error
      },
      streamQuery: () => {
        throw error
      },
    }
  }

  it('gives up with SQLITE_BUSY once the wait is over', async () => {
    const connection = failing(busy)
    const started = Date.now()
    await expect(waitingForLocks(connection, () => false, 100).executeQuery(query)).rejects.toBe(busy)
    expect(Date.now() - started).toBeGreaterThanOrEqual(50)
    expect(connection.attempts).toBeGreaterThan(2)
  })

  it('gives up on the statements queued behind one that gave up when it did, while the lock is still held; waits afresh once it was free', async () => {
    const waiting = waitingForLocks(failing(busy), () => false, 300)
    const started = Date.now()
    await expect(waiting.executeQuery(query)).rejects.toBe(busy)
    await expect(waiting.executeQuery(query)).rejects.toBe(busy) // queued right behind: the same wait
    expect(Date.now() - started).toBeLessThan(400) // one wait of 300 ms, not two
    await new Promise((resolve) => setTimeout(resolve, 150)) // no one tried meanwhile: a new wait
    const later = Date.now()
    await expect(waiting.executeQuery(query)).rejects.toBe(busy)
    expect(Date.now() - later).toBeGreaterThanOrEqual(250)
  })

  it('goes on with the same wait after a read between two writes (reads go on while another process writes)', async () => {
    const readsOnly: DatabaseConnection = {
      executeQuery: async (query) => {
        if (/^select/.test(query.sql)) return { rows: [] }
        throw busy
      },
      streamQuery: () => {
        throw busy
      },
    }
    const waiting = waitingForLocks(readsOnly, () => false, 300)
    await expect(waiting.executeQuery(query)).rejects.toBe(busy)
    const next = Date.now()
    await waiting.executeQuery(CompiledQuery.raw('select 1')) // the next request's read, say
    await expect(waiting.executeQuery(query)).rejects.toBe(busy) // and its write: the same wait, over
    expect(Date.now() - next).toBeLessThan(150)
  })

  it('does not try a statement again inside a transaction, nor on another error', async () => {
    const inside = failing(busy)
    await expect(waitingForLocks(inside, () => true, 100).executeQuery(query)).rejects.toBe(busy)
    const other = failing(Object.assign(new Error('no such table: notes'), { code: 'SQLITE_ERROR' }))
    await expect(waitingForLocks(other, () => false, 100).executeQuery(query)).rejects.toThrow('no such table')
    expect([inside.attempts, other.attempts]).toEqual([1, 1])
  })
})
