import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import pg from 'pg'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Db } from './database.server.ts'
import { openPostgres } from './postgres-database.server.ts'
import { testDatabaseLocation, testDialect } from './test-database.ts'

/*
 * A new PostgreSQL connection is slow at first (its backend maps the server's shared memory page
 * by page: a search at a million products took 1.5–1.8 s on one, 0.2–0.4 s on a warm one), and pg
 * closes an unused one after 10 s: a quiet store paid that at nearly every search.
 */
describe.runIf(testDialect === 'postgres')("a pooled connection's idle time", () => {
  let db: Db | undefined
  let observer: pg.Client | undefined
  afterEach(async () => {
    vi.useRealTimers()
    await observer?.end()
    await db?.destroy()
  })

  /** Whether the server still has the backend `pid` (a connection the pool closed is gone). */
  const alive = async (pid: number) => {
    for (let tries = 0; tries < 20; tries++) {
      const { rows } = await observer!.query<{ n: string }>('select count(*) as n from pg_stat_activity where pid = $1', [pid])
      if (rows[0]!.n === '0') return false
      await sleep(50) // the backend ends a moment after its client (node:timers/promises: not faked)
    }
    return true
  }

  const openAndUse = async (url: string, options: { idleTimeoutMs?: number }) => {
    db = openPostgres(url, options)
    return (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid
  }

  it('stays open past pg’s 10 s by default, for 5 minutes', async () => {
    const url = await testDatabaseLocation()
    observer = new pg.Client({ connectionString: url })
    await observer.connect()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }) // the pool's idle timer, not the network
    const pid = await openAndUse(url, {})
    vi.advanceTimersByTime(60_000)
    expect(await alive(pid)).toBe(true)
    vi.advanceTimersByTime(240_000)
    expect(await alive(pid)).toBe(false)
  })

  it('stays open for good with DATABASE_POOL_IDLE_TIMEOUT_MS=0', async () => {
    const url = await testDatabaseLocation()
    observer = new pg.Client({ connectionString: url })
    await observer.connect()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const pid = await openAndUse(url, { idleTimeoutMs: 0 })
    vi.advanceTimersByTime(3_600_000)
    expect(await alive(pid)).toBe(true)
  })
})
