import { describe, expect, it } from 'vitest'
import { orderStatsLine } from './order-stats-line.ts'

describe('the dashboard line about orders', () => {
  it('counts every order the list beside it may show, cancelled ones said as such', () => {
    expect(orderStatsLine({ count: 0, cancelled: 0, totalSpent: '$0.00' })).toBe('No orders yet.')
    expect(orderStatsLine({ count: 1, cancelled: 0, totalSpent: '$5.00' })).toBe('1 order, $5.00 in all.')
    expect(orderStatsLine({ count: 0, cancelled: 1, totalSpent: '$0.00' })).toBe('1 order, cancelled.')
    expect(orderStatsLine({ count: 0, cancelled: 2, totalSpent: '$0.00' })).toBe('2 orders, all cancelled.')
    expect(orderStatsLine({ count: 1, cancelled: 2, totalSpent: '$5.00' })).toBe('3 orders, 2 cancelled; $5.00 for the other one.')
    expect(orderStatsLine({ count: 4, cancelled: 1, totalSpent: '$9.00' })).toBe('5 orders, 1 cancelled; $9.00 for the other 4.')
  })
})
