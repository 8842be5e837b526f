import type { OrderStats } from './schemas.ts'

const orders = (n: number) => `${n} ${n === 1 ? 'order' : 'orders'}`

/**
 * The dashboard's sentence about a shopper's orders, true beside the list of recent ones (which
 * shows cancelled orders too): every order is counted, the cancelled ones said, and the money is
 * what the others cost (a cancelled order is refunded).
 * @example orderStatsLine({ count: 2, cancelled: 1, totalSpent: '$30.00' }) // '3 orders, 1 cancelled; $30.00 for the other 2'
 */
export function orderStatsLine({ count, cancelled, totalSpent }: Pick<OrderStats, 'count' | 'cancelled' | 'totalSpent'>): string {
  const all = count + cancelled
  if (all === 0) return 'No orders yet.'
  if (cancelled === 0) return `${orders(all)}, ${totalSpent} in all.`
  if (count === 0) return `${orders(all)}, ${all === 1 ? 'cancelled' : 'all cancelled'}.`
  return `${orders(all)}, ${cancelled} cancelled; ${totalSpent} for the other ${count === 1 ? 'one' : count}.`
}
