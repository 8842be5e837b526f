import { sql, type QueryExecutorProvider } from 'kysely'
import type { Db } from '#shared/db'

/** Migration 004's triggers that keep order_counts; a bulk load drops them and recounts once. */
export const ORDER_COUNT_TRIGGERS = ['orders_count_insert', 'orders_count_delete', 'orders_count_update'] as const

/** The row of order_counts that holds everyone's orders (/admin/orders). */
export const EVERYONE = 0

/** A shopper's counts (or everyone's, `null`): one row by its key; zeros when they have none. */
export const orderCountsQuery = (db: Db, userId: number | null) =>
  db
    .selectFrom('order_counts')
    .select(['orders', 'active_orders', 'active_cents'])
    .where('user_id', '=', userId ?? EVERYONE)

export async function readOrderCounts(db: Db, userId: number | null): Promise<{ orders: number; activeOrders: number; activeCents: number }> {
  const row = await orderCountsQuery(db, userId).executeTakeFirst()
  return { orders: row?.orders ?? 0, activeOrders: row?.active_orders ?? 0, activeCents: row?.active_cents ?? 0 }
}

/** Every count from the orders themselves: the migration's start, and after a bulk load that ran without the triggers. */
export async function recountOrders(db: QueryExecutorProvider): Promise<void> {
  await sql`delete from order_counts`.execute(db)
  await sql`insert into order_counts(user_id, orders, active_orders, active_cents)
    select user_id, count(*), sum(case when status != 'cancelled' then 1 else 0 end), sum(case when status != 'cancelled' then total_cents else 0 end) from orders group by user_id
    union all
    select ${EVERYONE}, count(*), coalesce(sum(case when status != 'cancelled' then 1 else 0 end), 0), coalesce(sum(case when status != 'cancelled' then total_cents else 0 end), 0) from orders`.execute(
    db,
  )
}
