import { describe, expect, it } from 'vitest'
import { formatPrice } from './money.ts'

describe('formatPrice', () => {
  const intl = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })

  it('writes US dollars exactly as Intl does', () => {
    const edges = [0, -0, 1, 9, 10, 99, 100, 101, 999, 1000, 99_999, 100_000, 123_456, 99_999_999, 100_000_000, 123_456_789_012, -1, -1250, -123_456]
    const random = Array.from({ length: 2000 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 10 ** (1 + (i % 13))))
    for (const cents of [...edges, ...random]) expect(formatPrice(cents, 'USD'), String(cents)).toBe(intl.format(cents / 100))
    expect(formatPrice(1250)).toBe('$12.50')
  })

  it('writes other currencies with Intl', () => {
    expect(formatPrice(1250, 'EUR')).toBe('€12.50')
  })
})
