import type { Db } from '#shared/db'
import { formatPrice } from '../products/index.ts'
import { readOrderCounts } from './order-counts.server.ts'
import { listOrders } from './orders.server.ts'
import type { Notification, OrderStats } from './schemas.ts'

export async function orderStats(db: Db, userId: number): Promise<OrderStats> {
  const [totals, recent] = await Promise.all([readOrderCounts(db, userId), listOrders(db, userId, { page: 1 }, 5)])
  return {
    count: totals.activeOrders,
    cancelled: totals.orders - totals.activeOrders,
    totalSpent: formatPrice(totals.activeCents),
    recent: recent.items.map((order) => ({
      id: order.id,
      status: order.status,
      total: order.total,
      itemCount: order.items.reduce((sum, item) => sum + item.quantity, 0),
      createdAt: order.createdAt,
    })),
  }
}

export async function unreadNotifications(db: Db, userId: number): Promise<Notification[]> {
  const rows = await unreadNotificationsQuery(db, userId).execute()
  return rows.map((row) => ({ id: row.id, message: row.message, createdAt: new Date(row.created_at).toISOString() }))
}

/* The dashboard's queries, exported for query-plans.test.ts, which reads SQLite's plan of this SQL. */
export const unreadNotificationsQuery = (db: Db, userId: number) =>
  db
    .selectFrom('notifications')
    .select(['id', 'message', 'created_at'])
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .orderBy('id', 'desc')
    .limit(20)
