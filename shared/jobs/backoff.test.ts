import { describe, expect, it } from 'vitest'
import { exponentialBackoff } from './backoff.ts'

describe('exponentialBackoff', () => {
  it('doubles from one second, capped at ten minutes', () => {
    const middle = () => 0.5
    expect([1, 2, 3, 4].map((n) => exponentialBackoff(n, middle))).toEqual([1_000, 2_000, 4_000, 8_000])
    expect(exponentialBackoff(30, middle)).toBe(600_000)
  })

  it('spreads by ±20%', () => {
    expect(exponentialBackoff(3, () => 0)).toBe(3_200)
    expect(exponentialBackoff(3, () => 0.999_999)).toBe(4_800)
    expect(exponentialBackoff(30, () => 0.999_999)).toBe(720_000)
  })
})
