import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { HttpError } from '#shared/http'
import { BackoffCeiling } from './backoff-ceiling.server.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const options = { limit: 3, windowMs: DAY, firstHoldMs: 15 * MINUTE, longestHoldMs: DAY, forgetAfterMs: DAY, maxKeys: 1000 }

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date('2026-01-01T00:00:00Z'))
})
afterEach(() => vi.useRealTimers())

/** The Retry-After (seconds) of a refused take, or 'ok'. */
function take(ceiling: BackoffCeiling, key = 'ada@example.com'): number | 'ok' {
  try {
    ceiling.take(key)
    return 'ok'
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 429) throw err
    return Number(err.headers['Retry-After'])
  }
}
const later = (ms: number) => vi.setSystemTime(Date.now() + ms)

describe('BackoffCeiling', () => {
  it('holds a key for the first hold once the limit is passed, counting nothing while held', () => {
    const ceiling = new BackoffCeiling(options)
    expect([take(ceiling), take(ceiling), take(ceiling), take(ceiling)]).toEqual(['ok', 'ok', 'ok', 15 * 60])
    later(5 * MINUTE)
    expect(take(ceiling)).toBe(10 * 60)
    expect(take(ceiling, 'bob@example.com')).toBe('ok') // other keys are not held
    later(10 * MINUTE)
    expect([take(ceiling), take(ceiling), take(ceiling)]).toEqual(['ok', 'ok', 'ok']) // a new window after the hold
  })

  it('doubles the hold each time the ceiling is reached again, up to the longest hold', () => {
    const ceiling = new BackoffCeiling(options)
    const holds = []
    for (let round = 0; round < 9; round++) {
      for (let i = 0; i < 3; i++) expect(take(ceiling)).toBe('ok')
      const hold = take(ceiling) as number
      holds.push(hold / 60)
      later(hold * 1000)
    }
    expect(holds).toEqual([15, 30, 60, 120, 240, 480, 960, 1440, 1440])
  })

  it('forgets the holds a day after the last one ended, and failures when their window ends', () => {
    const ceiling = new BackoffCeiling(options)
    for (let i = 0; i < 3; i++) take(ceiling)
    expect(take(ceiling)).toBe(15 * 60)
    later(15 * MINUTE + DAY + 1)
    for (let i = 0; i < 3; i++) take(ceiling)
    expect(take(ceiling)).toBe(15 * 60) // the first hold again, not the second
    later(15 * MINUTE)
    take(ceiling)
    take(ceiling)
    later(DAY) // the window of those two ends
    expect([take(ceiling), take(ceiling), take(ceiling)]).toEqual(['ok', 'ok', 'ok'])
  })

  it('takes back attempts that turned out well', () => {
    const ceiling = new BackoffCeiling(options)
    for (let i = 0; i < 10; i++) {
      expect(take(ceiling)).toBe('ok')
      ceiling.giveBack('ada@example.com')
    }
  })

  it('keeps at most maxKeys keys, the oldest going first', () => {
    const ceiling = new BackoffCeiling({ ...options, maxKeys: 2 })
    for (let i = 0; i < 4; i++) take(ceiling, 'first')
    expect(take(ceiling, 'first')).toBeGreaterThan(0)
    take(ceiling, 'second')
    take(ceiling, 'third')
    expect(take(ceiling, 'first')).toBe('ok')
  })

  it('says the wait in words', () => {
    const ceiling = new BackoffCeiling({ ...options, hint: ', or from a browser you have logged in with before' })
    for (let i = 0; i < 3; i++) take(ceiling)
    expect(() => ceiling.take('ada@example.com')).toThrow('Too many attempts. Try again in 15 minutes, or from a browser you have logged in with before.')
  })
})
