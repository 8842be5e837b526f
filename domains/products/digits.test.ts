import { describe, expect, it } from 'vitest'
import { groupDigits } from './digits.ts'

describe('groupDigits', () => {
  it('groups digits exactly as toLocaleString("en") does', () => {
    const edges = [
      0,
      -0,
      1,
      9,
      10,
      99,
      100,
      999,
      1000,
      1001,
      9999,
      10_000,
      99_999,
      100_000,
      999_999,
      1_000_000,
      123_456_789,
      Number.MAX_SAFE_INTEGER,
      -1,
      -1234,
      12.5,
    ]
    const spread = Array.from({ length: 2000 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 10 ** (1 + (i % 15))))
    for (const n of [...edges, ...spread]) expect(groupDigits(n), String(n)).toBe(n.toLocaleString('en'))
  })
})
