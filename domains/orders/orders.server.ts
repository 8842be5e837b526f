import type { Selectable } from 'kysely'
import type { Db } from '#shared/db'
import { HttpError } from '#shared/http'
import { enqueueJob } from '#shared/jobs'
import { formatPrice, InsufficientStockError, releaseStock, reserveStock } from '../products/index.ts'
import { readCart } from './cart.server.ts'
import type { PaymentGateway } from './payments.server.ts'
import type { Cart, CheckoutInput, Order } from './schemas.ts'
import type { OrdersTable } from './tables.server.ts'

/** How long an order may stay `pending` (payment outcome unknown) before its stock is released. */
const PENDING_TIMEOUT_MS = 15 * 60 * 1000

const linesOf = (cart: Cart) => cart.items.map((item) => ({ productId: item.productId, quantity: item.quantity }))

/** A pending order whose payment never completed (the process died): its stock goes back. */
export async function expirePendingOrder(db: Db, orderId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const lines = await trx.selectFrom('order_lines').select(['product_id as productId', 'quantity']).where('order_id', '=', orderId).execute()
    const deleted = await trx.deleteFrom('orders').where('id', '=', orderId).where('status', '=', 'pending').executeTakeFirst()
    if (deleted.numDeletedRows > 0n) await releaseStock(trx, lines)
  })
}

export interface PlaceOrder {
  userId: number
  cartId: number | undefined
  input: CheckoutInput
  idempotencyKey?: string
  gateway: PaymentGateway
  /** When the fulfilment job runs after payment (a warehouse would pick it up). */
  fulfilAfterMs: number
}

/**
 * Places the cart as an order. One transaction re-reads prices, reserves the stock (never below
 * zero) and writes the order as `pending`; the card is charged after that commit, never inside a
 * transaction. Paid: the order turns `paid`, the cart empties, and the fulfilment and notification
 * jobs are queued in that same transaction. Declined: stock goes back and the order is deleted,
 * as if it never was. A retried request with the same Idempotency-Key gets the same order.
 */
export async function placeOrder(db: Db, { userId, cartId, input, idempotencyKey, gateway, fulfilAfterMs }: PlaceOrder): Promise<{ order: Order; replayed: boolean }> {
  if (idempotencyKey) {
    const existing = await findOrderByKey(db, userId, idempotencyKey)
    if (existing) return { order: existing, replayed: true }
  }
  let cart: Cart | undefined
  let orderId: number
  try {
    orderId = await db.transaction().execute(async (trx) => {
      // Prices and quantities are read inside the transaction that takes the stock.
      cart = await readCart(trx, cartId)
      if (cart.items.length === 0) throw new HttpError(400, 'empty_cart', 'Your cart is empty.')
      await reserveStock(trx, linesOf(cart))
      const now = Date.now()
      const { id } = await trx
        .insertInto('orders')
        .values({ user_id: userId, status: 'pending', total_cents: cart.totalCents, currency: 'USD', shipping: JSON.stringify(input.shipping), payment_ref: null, idempotency_key: idempotencyKey ?? null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx.insertInto('order_lines').values(cart.items.map((item) => ({ order_id: id, product_id: item.productId, name: item.name, quantity: item.quantity, price_cents: item.priceCents }))).execute()
      // Should this process die before the payment's outcome is written, the stock comes back.
      await enqueueJob(trx, 'expire-pending-order', { orderId: id }, { runAt: now + PENDING_TIMEOUT_MS })
      return id
    })
  } catch (err) {
    if (err instanceof InsufficientStockError) throw new HttpError(409, 'insufficient_stock', 'Some items in your cart are no longer in stock in that quantity.')
    // The same key raced this request and won: answer with its order.
    if (idempotencyKey && isUniqueViolation(err)) {
      const existing = await findOrderByKey(db, userId, idempotencyKey)
      if (existing) return { order: existing, replayed: true }
    }
    throw err
  }

  const placed = cart!
  const lines = linesOf(placed)
  const charge = await gateway.charge({ amountCents: placed.totalCents, currency: 'USD', card: input.card, reference: `order-${orderId}` }).catch((): { ok: false; reason: string } => ({ ok: false, reason: 'The payment could not be completed.' }))
  if (!charge.ok) {
    await db.transaction().execute(async (trx) => {
      await releaseStock(trx, lines)
      await trx.deleteFrom('orders').where('id', '=', orderId).execute()
    })
    throw new HttpError(402, 'payment_declined', charge.reason, [{ path: ['card', 'number'], message: charge.reason }])
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('orders').set({ status: 'paid', payment_ref: charge.id, updated_at: Date.now() }).where('id', '=', orderId).execute()
    if (cartId) await trx.deleteFrom('cart_items').where('cart_id', '=', cartId).execute()
    await enqueueJob(trx, 'notify', { userId, orderId, message: `Thank you! Order #${orderId} is paid.` })
    await enqueueJob(trx, 'fulfil-order', { orderId }, { runAt: Date.now() + fulfilAfterMs })
  })
  return { order: (await findOrder(db, userId, orderId))!, replayed: false }
}

const isUniqueViolation = (err: unknown) => err instanceof Error && 'code' in err && err.code === 'SQLITE_CONSTRAINT_UNIQUE'

async function toOrders(db: Db, rows: Selectable<OrdersTable>[]): Promise<Order[]> {
  if (rows.length === 0) return []
  const lines = await db.selectFrom('order_lines').selectAll().where('order_id', 'in', rows.map((row) => row.id)).orderBy('product_id').execute()
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    items: lines.filter((line) => line.order_id === row.id).map((line) => ({ productId: line.product_id, name: line.name, quantity: line.quantity, priceCents: line.price_cents })),
    totalCents: row.total_cents,
    total: formatPrice(row.total_cents, row.currency),
    createdAt: new Date(row.created_at).toISOString(),
  }))
}

/** One of this user's orders; another user's is as absent as a missing one. */
export async function findOrder(db: Db, userId: number, orderId: number): Promise<Order | undefined> {
  const row = await db.selectFrom('orders').selectAll().where('id', '=', orderId).where('user_id', '=', userId).executeTakeFirst()
  return row ? (await toOrders(db, [row]))[0] : undefined
}

async function findOrderByKey(db: Db, userId: number, key: string): Promise<Order | undefined> {
  const row = await db.selectFrom('orders').selectAll().where('user_id', '=', userId).where('idempotency_key', '=', key).executeTakeFirst()
  return row ? (await toOrders(db, [row]))[0] : undefined
}

export interface OrderPage {
  items: Order[]
  page: number
  pageCount: number
  total: number
}

/** A user's orders, newest first; or everyone's (admins) when `userId` is null. */
export async function listOrders(db: Db, userId: number | null, page: number, limit = 20): Promise<OrderPage> {
  let query = db.selectFrom('orders')
  if (userId !== null) query = query.where('user_id', '=', userId)
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset((page - 1) * limit).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  const total = Number(count.n)
  return { items: await toOrders(db, rows), page, pageCount: Math.ceil(total / limit), total }
}

/** The owner cancels a paid order not yet fulfilled: the stock goes back, the payment is refunded. */
export async function cancelOrder(db: Db, userId: number, orderId: number, gateway: PaymentGateway): Promise<Order> {
  const order = await findOrder(db, userId, orderId)
  if (!order) throw new HttpError(404, 'not_found', 'No such order.')
  const cancelled = await db.transaction().execute(async (trx) => {
    const result = await trx.updateTable('orders').set({ status: 'cancelled', updated_at: Date.now() }).where('id', '=', orderId).where('status', '=', 'paid').executeTakeFirst()
    if (result.numUpdatedRows === 0n) return false
    await releaseStock(trx, order.items)
    await enqueueJob(trx, 'notify', { userId, orderId, message: `Order #${orderId} was cancelled and refunded.` })
    return true
  })
  if (!cancelled) throw new HttpError(409, 'not_cancellable', `Only a paid order that has not shipped can be cancelled; this one is ${order.status}.`)
  const paymentRef = (await db.selectFrom('orders').select('payment_ref').where('id', '=', orderId).executeTakeFirst())?.payment_ref
  if (paymentRef) await gateway.refund(paymentRef)
  return (await findOrder(db, userId, orderId))!
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
