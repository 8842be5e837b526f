import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, testDatabaseLocation, testDialect, type Db } from '#shared/db'
import { queueNow, syncQueueClock } from './queue-clock.server.ts'

describe("the job queue's clock", () => {
  const opened: Db[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.destroy()))
  })
  const open = async (options = {}) => {
    const db = openDatabase(await testDatabaseLocation(), options)
    opened.push(db)
    return db
  }

  it.runIf(testDialect === 'sqlite')("is this host's clock on SQLite", async () => {
    const db = await open()
    await syncQueueClock(db)
    expect(Math.abs(queueNow(db) - Date.now())).toBeLessThan(5)
  })

  it.runIf(testDialect === 'postgres')("reads the database's clock, not counting a wait for the pool, for that database alone", async () => {
    const db = await open({ poolMax: 1 })
    // The pool's one connection busy for a second: the measure waits for it, and must not count the wait.
    const busy = sql`select pg_sleep(1)`.execute(db)
    await new Promise((resolve) => setTimeout(resolve, 50))
    await syncQueueClock(db)
    await busy
    // Here the database's clock is this host's (one machine): any difference is the measure's error.
    expect(Math.abs(queueNow(db) - Date.now())).toBeLessThan(100)
    const sqlite = openDatabase(':memory:')
    opened.push(sqlite)
    expect(Math.abs(queueNow(sqlite) - Date.now())).toBeLessThan(5)
  })
})
