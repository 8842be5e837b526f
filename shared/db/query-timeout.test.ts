import { sql } from 'kysely'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { isDatabaseUnavailable } from '#shared/http'
import type { Db } from './database.server.ts'
import { openPostgres, withoutQueryTimeout } from './postgres-database.server.ts'
import { testDatabaseLocation, testDialect } from './test-database.ts'

/**
 * DATABASE_QUERY_TIMEOUT_MS on PostgreSQL (`npm run test:pg`): a statement that waits too long
 * (a lock held elsewhere) is ended by the server itself, so a write the request answered 503 for
 * never commits later; the connection stays usable.
 */
describe.runIf(testDialect === 'postgres')('a statement past the query timeout', () => {
  let db: Db | undefined
  let holder: pg.Client | undefined
  afterEach(async () => {
    await holder?.end()
    await db?.destroy()
  })

  it('fails as the database being unavailable, and its write never commits after', async () => {
    const url = await testDatabaseLocation()
    db = openPostgres(url, { poolMax: 2, queryTimeoutMs: 500 })
    await sql`create table counters (id integer primary key, n integer not null)`.execute(db)
    await sql`insert into counters values (1, 0)`.execute(db)
    holder = new pg.Client({ connectionString: url })
    await holder.connect()
    await holder.query('begin')
    await holder.query('select n from counters where id = 1 for update') // a lock held elsewhere

    const started = performance.now()
    const write = await sql`update counters set n = n + 1 where id = 1`.execute(db).catch((err: unknown) => err)
    expect(isDatabaseUnavailable(write)).toBe(true)
    expect(performance.now() - started).toBeLessThan(3000) // the server's 500 ms, not the network's grace
    await new Promise((resolve) => setTimeout(resolve, 300))
    await holder.query('commit') // the lock goes: a write still waiting would commit now

    await new Promise((resolve) => setTimeout(resolve, 300))
    expect((await sql<{ n: number }>`select n from counters where id = 1`.execute(db)).rows[0]!.n).toBe(0)
  })

  it('does not time a migration or a command (withoutQueryTimeout), and times requests again after', async () => {
    db = openPostgres(await testDatabaseLocation(), { poolMax: 1, queryTimeoutMs: 500 })
    await withoutQueryTimeout(() => sql`select pg_sleep(0.8)`.execute(db!))
    const timed = await sql`select pg_sleep(0.8)`.execute(db).catch((err: unknown) => err)
    expect(isDatabaseUnavailable(timed)).toBe(true)
  })
})
