import { sql, type RawBuilder } from 'kysely'
import type { Db } from '#shared/db'

/**
 * The rate-limit counters in the database, so that every process and every host counts against
 * the same limit. Each count is ONE statement, an atomic upsert (`insert … on conflict do update
 * … returning`, the same SQL on SQLite and PostgreSQL): two attempts at once, anywhere, can never
 * both see the old count. The clock is the caller's (`now`), so hosts must keep theirs in sync (NTP).
 */
const table = sql.table('auth_rate_limits')
const column = (name: string) => sql.ref(`auth_rate_limits.${name}`)

/** Counts an attempt in `key`'s fixed window (a new one starts at the first attempt after it ends): the count so far and when the window ends. */
export async function countInWindow(db: Db, key: string, now: number, windowMs: number): Promise<{ hits: number; windowEnds: number }> {
  const ended = sql`${column('window_ends')} <= ${now}`
  const windowEnds = sql`case when ${ended} then ${now + windowMs} else ${column('window_ends')} end`
  const { rows } = await sql<{ hits: number; window_ends: number }>`
    insert into ${table} (key, hits, window_ends, hold_until, hold_ms, expires_at) values (${key}, 1, ${now + windowMs}, 0, 0, ${now + windowMs})
    on conflict (key) do update set
      hits = case when ${ended} then 1 else ${column('hits')} + 1 end,
      window_ends = ${windowEnds},
      expires_at = ${windowEnds}
    returning hits, window_ends`.execute(db)
  return { hits: Number(rows[0]!.hits), windowEnds: Number(rows[0]!.window_ends) }
}

export interface CeilingRule {
  limit: number
  windowMs: number
  firstHoldMs: number
  longestHoldMs: number
  forgetAfterMs: number
}

/**
 * Counts a failure against `key`'s ceiling (see BackoffCeiling), in one statement: while held,
 * nothing changes; else the failure is counted in the window (a new one if it ended), and the
 * failure past the limit holds the key for twice its last hold (the first hold if none, or if that
 * one ended more than `forgetAfterMs` ago), up to the longest, and starts a new window after it.
 * Answers until when the key is held (in the past: not held).
 */
export async function countFailure(db: Db, key: string, now: number, rule: CeilingRule): Promise<number> {
  const held = sql`${column('hold_until')} > ${now}`
  const failures = sql`(case when ${column('window_ends')} <= ${now} then 0 else ${column('hits')} end) + 1`
  const over = sql`${failures} > ${rule.limit}`
  const lastHold = sql`(case when ${column('hold_ms')} > 0 and ${now} - ${column('hold_until')} > ${rule.forgetAfterMs} then 0 else ${column('hold_ms')} end)`
  const hold = sql`(case when ${lastHold} = 0 then ${rule.firstHoldMs} when ${lastHold} * 2 > ${rule.longestHoldMs} then ${rule.longestHoldMs} else ${lastHold} * 2 end)`
  const unlessHeld = (value: RawBuilder<unknown>, name: string) => sql`case when ${held} then ${column(name)} else ${value} end`
  const windowEnds = unlessHeld(
    sql`case when ${over} then ${now} + ${hold} + ${rule.windowMs} when ${column('window_ends')} <= ${now} then ${now + rule.windowMs} else ${column('window_ends')} end`,
    'window_ends',
  )
  const { rows } = await sql<{ hold_until: number }>`
    insert into ${table} (key, hits, window_ends, hold_until, hold_ms, expires_at)
    values (${key}, 1, ${now + rule.windowMs}, 0, 0, ${now + rule.windowMs + rule.forgetAfterMs})
    on conflict (key) do update set
      hits = ${unlessHeld(sql`case when ${over} then 0 else ${failures} end`, 'hits')},
      window_ends = ${windowEnds},
      hold_until = ${unlessHeld(sql`case when ${over} then ${now} + ${hold} else ${column('hold_until')} end`, 'hold_until')},
      hold_ms = ${unlessHeld(sql`case when ${over} then ${hold} else ${lastHold} end`, 'hold_ms')},
      expires_at = ${windowEnds} + ${rule.forgetAfterMs}
    returning hold_until`.execute(db)
  return Number(rows[0]!.hold_until)
}

/** Takes one counted failure back (an attempt that turned out well). */
export async function uncountFailure(db: Db, key: string): Promise<void> {
  await db
    .updateTable('auth_rate_limits')
    .set((eb) => ({ hits: eb('hits', '-', 1) }))
    .where('key', '=', key)
    .where('hits', '>', 0)
    .execute()
}

/** Forgets `key`'s attempts. */
export async function forgetKey(db: Db, key: string): Promise<void> {
  await db.deleteFrom('auth_rate_limits').where('key', '=', key).execute()
}

/** Forgets every key of `prefix` whose last word is `lastWord` (a limit keyed `<name> <address> <email>`: that email from every address). */
export async function forgetKeysEndingIn(db: Db, prefix: string, lastWord: string): Promise<void> {
  const escaped = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`)
  await sql`delete from ${table} where key like ${`${escaped(prefix)} % ${escaped(lastWord)}`} escape '\\'`.execute(db)
}

/**
 * Ends `key`'s hold and its failures so far, keeping the length of its last hold: the next hold,
 * if failures go on, is still twice as long (an owner's reset frees them, not a persistent guesser).
 */
export async function releaseHold(db: Db, key: string, now: number): Promise<void> {
  await sql`
    update ${table} set hits = 0, window_ends = ${now},
      hold_until = case when ${column('hold_until')} > ${now} then ${now} else ${column('hold_until')} end
    where key = ${key}`.execute(db)
}

/** Deletes the counters that say nothing any more (their window and any hold to remember are over). */
export async function purgeExpiredRateLimits(db: Db, now = Date.now()): Promise<number> {
  const result = await db.deleteFrom('auth_rate_limits').where('expires_at', '<', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}
