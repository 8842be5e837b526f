import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Db } from '#shared/db'
import { HttpError } from '#shared/http'
import { BackoffCeiling } from './backoff-ceiling.server.ts'
import { purgeExpiredRateLimits } from './rate-limit-store.server.ts'
import { authDb } from './test-db.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const options = { name: 'test-ceiling', limit: 3, windowMs: DAY, firstHoldMs: 15 * MINUTE, longestHoldMs: DAY, forgetAfterMs: DAY }
let db: Db

beforeEach(async () => {
  db = await authDb()
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date('2026-01-01T00:00:00Z'))
})
afterEach(async () => {
  vi.useRealTimers()
  await db.destroy()
})

/** The Retry-After (seconds) of a refused take, or 'ok'. */
async function take(ceiling: BackoffCeiling, key = 'ada@example.com'): Promise<number | 'ok'> {
  try {
    await ceiling.take(db, key)
    return 'ok'
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 429) throw err
    return Number(err.headers['Retry-After'])
  }
}
/** Several takes, one after the other. */
async function takes(ceiling: BackoffCeiling, count: number, key?: string): Promise<(number | 'ok')[]> {
  const results: (number | 'ok')[] = []
  for (let i = 0; i < count; i++) results.push(await take(ceiling, key))
  return results
}
const later = (ms: number) => vi.setSystemTime(Date.now() + ms)

describe('BackoffCeiling', () => {
  it('holds a key for the first hold once the limit is passed, counting nothing while held', async () => {
    const ceiling = new BackoffCeiling(options)
    expect(await takes(ceiling, 4)).toEqual(['ok', 'ok', 'ok', 15 * 60])
    later(5 * MINUTE)
    expect(await take(ceiling)).toBe(10 * 60)
    expect(await take(ceiling, 'bob@example.com')).toBe('ok') // other keys are not held
    later(10 * MINUTE)
    expect(await takes(ceiling, 3)).toEqual(['ok', 'ok', 'ok']) // a new window after the hold
  })

  it('doubles the hold each time the ceiling is reached again, up to the longest hold', async () => {
    const ceiling = new BackoffCeiling(options)
    const holds = []
    for (let round = 0; round < 9; round++) {
      expect(await takes(ceiling, 3)).toEqual(['ok', 'ok', 'ok'])
      const hold = (await take(ceiling)) as number
      holds.push(hold / 60)
      later(hold * 1000)
    }
    expect(holds).toEqual([15, 30, 60, 120, 240, 480, 960, 1440, 1440])
  })

  it('forgets the holds a day after the last one ended, and failures when their window ends', async () => {
    const ceiling = new BackoffCeiling(options)
    await takes(ceiling, 3)
    expect(await take(ceiling)).toBe(15 * 60)
    later(15 * MINUTE + DAY + 1)
    await takes(ceiling, 3)
    expect(await take(ceiling)).toBe(15 * 60) // the first hold again, not the second
    later(15 * MINUTE)
    await takes(ceiling, 2)
    later(DAY) // the window of those two ends
    expect(await takes(ceiling, 3)).toEqual(['ok', 'ok', 'ok'])
  })

  it('takes back attempts that turned out well', async () => {
    const ceiling = new BackoffCeiling(options)
    for (let i = 0; i < 10; i++) {
      expect(await take(ceiling)).toBe('ok')
      await ceiling.giveBack(db, 'ada@example.com')
    }
  })

  // In the database, not in memory: no bound on keys, but a key is purged once it says nothing (its window over, its holds forgotten).
  it('is purged once its window is over and its last hold forgotten, not before', async () => {
    const ceiling = new BackoffCeiling(options)
    await takes(ceiling, 4) // held 15 minutes; a new window of a day after that
    const keys = async () => (await db.selectFrom('auth_rate_limits').select('key').execute()).map((row) => row.key)
    later(15 * MINUTE + DAY)
    expect(await purgeExpiredRateLimits(db)).toBe(0) // the hold is remembered a day longer
    expect(await keys()).toEqual(['test-ceiling ada@example.com'])
    later(DAY + 1)
    expect(await purgeExpiredRateLimits(db)).toBe(1)
    expect(await keys()).toEqual([])
    expect(await takes(ceiling, 4)).toEqual(['ok', 'ok', 'ok', 15 * 60]) // the first hold again
  })

  it('says the wait in words', async () => {
    const ceiling = new BackoffCeiling({ ...options, hint: ', or from a browser you have logged in with before' })
    await takes(ceiling, 3)
    await expect(ceiling.take(db, 'ada@example.com')).rejects.toThrow(
      'Too many attempts. Try again in 15 minutes, or from a browser you have logged in with before.',
    )
  })
})
