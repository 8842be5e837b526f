import type { Selectable } from 'kysely'
import { encodeCursor, findPosition, keysetPage, readOrder, seekFrom, type Db, type Position, type Seek } from '#shared/db'
import { HttpError, refusePosition } from '#shared/http'
import { enqueueJob } from '#shared/jobs'
import { linksAround, MAX_NUMBERED_PAGE } from '#shared/ui'
import { formatPrice, releaseStock } from '../products/index.ts'
import { readOrderCounts } from './order-counts.server.ts'
import { GATEWAY_JOB_ATTEMPTS, type PaymentGateway } from './payments.server.ts'
import type { Order, OrderPage, Shipping } from './schemas.ts'
import type { OrdersTable } from './tables.server.ts'

async function toOrders(db: Db, rows: Selectable<OrdersTable>[]): Promise<Order[]> {
  if (rows.length === 0) return []
  const lines = await orderLinesQuery(
    db,
    rows.map((row) => row.id),
  ).execute()
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    items: lines
      .filter((line) => line.order_id === row.id)
      .map((line) => ({ productId: line.product_id, name: line.name, quantity: line.quantity, priceCents: line.price_cents })),
    totalCents: row.total_cents,
    total: formatPrice(row.total_cents, row.currency),
    createdAt: new Date(row.created_at).toISOString(),
  }))
}

/** The orders' lines, each order's by product: in the primary key's order, so SQLite sorts nothing. */
export const orderLinesQuery = (db: Db, orderIds: number[]) =>
  db.selectFrom('order_lines').selectAll().where('order_id', 'in', orderIds).orderBy('order_id').orderBy('product_id')

/** One of this user's orders; another user's is as absent as a missing one. */
export async function findOrder(db: Db, userId: number, orderId: number): Promise<Order | undefined> {
  const row = await db.selectFrom('orders').selectAll().where('id', '=', orderId).where('user_id', '=', userId).executeTakeFirst()
  return row ? (await toOrders(db, [row]))[0] : undefined
}

/** Any order, with where it is sent and whose it is (the customer's id): for an admin. */
export async function findAnyOrder(db: Db, orderId: number): Promise<{ order: Order; shipping: Shipping; userId: number; currency: string } | undefined> {
  const row = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst()
  if (!row) return undefined
  const [order] = await toOrders(db, [row])
  return { order: order!, shipping: JSON.parse(row.shipping) as Shipping, userId: row.user_id, currency: row.currency }
}

/**
 * A user's orders, newest first; or everyone's (admins) when `userId` is null. The page at
 * `position`: a number (the first few), `last`, or after or before an order (keyset: page 50,000
 * costs what page 1 costs; shared/db/keyset.ts). The total is a row of order_counts.
 */
export async function listOrders(db: Db, userId: number | null, position: Position = { page: 1 }, limit = 20): Promise<OrderPage> {
  const found = findPosition(position, { key: 'int64', limit, maxNumbered: MAX_NUMBERED_PAGE })
  if ('refused' in found) refusePosition(found)
  const { seek, cursor, offset } = found
  const [read, { orders: total }] = await Promise.all([
    ordersPageQuery(db, userId, seek, { limit: limit + 1, offset, key: cursor?.key ?? 0, id: cursor?.id ?? 0 }).execute(),
    readOrderCounts(db, userId),
  ])
  const page = keysetPage(read, { seek, limit, offset, cursorOf: (row) => encodeCursor(row.created_at, row.id) })
  if (page.restart) return listOrders(db, userId, { page: 1 }, limit) // before the first: the first page, full
  return {
    items: await toOrders(db, page.rows),
    total,
    page: seek === 'offset' ? found.page : null,
    pageCount: Math.ceil(total / limit),
    links: linksAround(page),
  }
}

/* listOrders' query, exported for query-plans.test.ts, which reads SQLite's plan of this SQL. */
const ordersOf = (db: Db, userId: number | null) => (userId === null ? db.selectFrom('orders') : db.selectFrom('orders').where('user_id', '=', userId))
export function ordersPageQuery(db: Db, userId: number | null, seek: Seek, p: { limit: number; offset: number; key: unknown; id: unknown }) {
  let query = ordersOf(db, userId).selectAll()
  if (seek === 'after' || seek === 'before') query = query.where(seekFrom('orders.created_at', 'desc', seek, p.key, p.id, 'orders.id'))
  const page = query.orderBy('created_at', readOrder('desc', seek)).orderBy('id', readOrder('desc', seek)).limit(p.limit)
  return seek === 'offset' ? page.offset(p.offset) : page
}

/**
 * The owner cancels a paid order not yet fulfilled: the stock goes back, and its refund is queued
 * in the same transaction (the job refunds, retried while the gateway fails: refundCancelledOrder),
 * so a cancelled order is never left unrefunded by a crash or a gateway's outage.
 */
export async function cancelOrder(db: Db, userId: number, orderId: number): Promise<Order> {
  await db.transaction().execute(async (trx) => {
    const cancelled = await trx
      .updateTable('orders')
      .set({ status: 'cancelled', updated_at: Date.now() })
      .where('id', '=', orderId)
      .where('user_id', '=', userId)
      .where('status', '=', 'paid')
      .returning('id')
      .executeTakeFirst()
    if (!cancelled) {
      // Read here, after the update found it changed: a cancel racing this one, or the shipping, set what it is now.
      const now = await trx.selectFrom('orders').select('status').where('id', '=', orderId).where('user_id', '=', userId).executeTakeFirst()
      if (!now) throw new HttpError(404, 'not_found', 'No such order.')
      throw new HttpError(409, 'not_cancellable', `Only a paid order that has not shipped can be cancelled; this one is ${now.status}.`)
    }
    const lines = await trx.selectFrom('order_lines').select(['product_id as productId', 'quantity']).where('order_id', '=', orderId).execute()
    await releaseStock(trx, lines)
    await enqueueJob(trx, 'refund-order', { orderId }, { maxAttempts: GATEWAY_JOB_ATTEMPTS })
  })
  return (await findOrder(db, userId, orderId))!
}

/**
 * A cancelled order's refund (the job cancelOrder queued): the charge given back, then the owner
 * told, once per job (the notification takes the job's id). Safe to repeat: a refund of a refunded
 * charge does nothing; a gateway that fails fails the job, which runs again.
 */
export async function refundCancelledOrder(db: Db, gateway: PaymentGateway, orderId: number, jobId: number): Promise<void> {
  const order = await db.selectFrom('orders').select(['user_id', 'status', 'payment_ref']).where('id', '=', orderId).executeTakeFirst()
  if (order?.status !== 'cancelled') return
  if (order.payment_ref) await gateway.refund(order.payment_ref)
  await leaveNotification(db, jobId, { userId: order.user_id, orderId, message: `Order #${orderId} was cancelled and refunded.` })
}

/** A message on the shopper's dashboard, kept under the id of the job that left it: a job run twice leaves it once. */
export async function leaveNotification(db: Db, jobId: number, { userId, orderId, message }: { userId: number; orderId: number | null; message: string }) {
  await db
    .insertInto('notifications')
    .values({ id: jobId, user_id: userId, order_id: orderId, message, read_at: null, created_at: Date.now() })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .execute()
}

/** True when the user has a paid or shipped order with this product (e.g. to let them review it). */
export async function hasPurchased(db: Db, userId: number, productId: number): Promise<boolean> {
  const row = await db
    .selectFrom('orders')
    .innerJoin('order_lines', 'order_lines.order_id', 'orders.id')
    .select('orders.id')
    .where('orders.user_id', '=', userId)
    .where('order_lines.product_id', '=', productId)
    .where('orders.status', 'in', ['paid', 'fulfilled'])
    .executeTakeFirst()
  return row !== undefined
}
