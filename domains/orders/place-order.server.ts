import { setTimeout as sleep } from 'node:timers/promises'
import { writeAlone, type Db } from '#shared/db'
import { HttpError, isDatabaseUnavailable } from '#shared/http'
import { enqueueJob } from '#shared/jobs'
import { formatPrice, getProductsByIds, InsufficientStockError, releaseStock, reserveStock } from '../products/index.ts'
import { readCart, returnToCart, versionOf } from './cart.server.ts'
import { keyReused, requestHash, settledOrderByKey } from './idempotency.server.ts'
import { findOrder } from './orders.server.ts'
import { GATEWAY_JOB_ATTEMPTS, type PaymentGateway } from './payments.server.ts'
import type { Cart, CartLine, CheckoutInput, Order } from './schemas.ts'

/** The largest total an order holds ($21,474,836.47): its column is a 4-byte integer of cents. */
const MAX_ORDER_CENTS = 2_147_483_647

/** How long an order may stay `pending` (payment outcome unknown) before it is undone. */
const PENDING_TIMEOUT_MS = 15 * 60 * 1000

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
 * Places the cart as an order, and charges the card once, however often the cart is submitted:
 * 1. One transaction claims the cart (its lines move into a `pending` order, so another
 *    submission of it finds it empty: 400 `empty_cart`), re-reads prices, reserves the stock
 *    (never below zero), and queues the order's expiry should this process die before step 3.
 * 2. The card is charged after that commit, never inside a transaction.
 * 3. Paid: the order turns `paid`, its fulfilment and notification jobs queued in the same
 *    transaction. Declined: the order is undone as if it never was (`undoOrder`).
 * With an Idempotency-Key, the same request again gets the same order (`replayed`); another
 * request with that key is refused (422), see idempotency.server.ts.
 */
export async function placeOrder(db: Db, args: PlaceOrder): Promise<{ order: Order; replayed: boolean }> {
  const { userId, input, idempotencyKey, gateway, fulfilAfterMs } = args
  if (idempotencyKey) {
    const replayed = await replay(db, args, idempotencyKey)
    if (replayed) return { order: replayed, replayed: true }
  }
  const opened = await openOrder(db, args)
  // A request with the same key committed first (a double click): answer as its replay.
  if (opened === 'key-taken') return placeOrder(db, args)
  const { orderId, cart } = opened

  // A charge call that fails may still have charged (a timeout): the order's expiry looks for it.
  const charge = await gateway
    .charge({ amountCents: cart.totalCents, currency: 'USD', card: input.card, reference: chargeReference(orderId) })
    .catch((): { ok: false; reason: string } => ({
      ok: false,
      reason: 'The payment could not be completed. Should your card show a charge, it is refunded within 15 minutes.',
    }))
  if (!charge.ok) {
    await db.transaction().execute((trx) => undoOrder(trx, orderId))
    throw new HttpError(402, 'payment_declined', charge.reason, [{ path: ['card', 'number'], message: charge.reason }])
  }
  // The money has moved: the order must say so, however long the database takes to let it.
  const paid = await whileUnavailable(() => db.transaction().execute((trx) => markPaid(trx, { userId, orderId, chargeId: charge.id, fulfilAfterMs })))
  if (!paid) {
    // The payment outlived the order's expiry (it was undone meanwhile): give the money back.
    await gateway.refund(charge.id)
    throw new HttpError(409, 'order_expired', 'The payment took too long and was refunded. Please check out again.')
  }
  return { order: (await findOrder(db, userId, orderId))!, replayed: false }
}

/** How long the write that records a payment keeps trying while the database is busy or away. */
const RECORD_PAYMENT_WITHIN_MS = 30_000

/**
 * Runs `write` again while the database cannot be reached or is locked (SQLite's other process, a
 * PostgreSQL restart), up to RECORD_PAYMENT_WITHIN_MS: given up after a charge went through, the
 * shopper would get a 503 for an order their card paid, and a refund 15 minutes later.
 */
async function whileUnavailable<T>(write: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + RECORD_PAYMENT_WITHIN_MS
  for (let pause = 100; ; pause = Math.min(pause * 2, 2000)) {
    try {
      return await write()
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() + pause > deadline) throw err
    }
    await sleep(pause)
  }
}

/**
 * Step 3: the pending order turns paid, its notification and fulfilment queued with it. False when
 * it is no longer pending (undone by its expiry meanwhile); true also when an earlier try of this
 * same write committed (its answer lost with the connection): the order holds this charge.
 */
async function markPaid(trx: Db, { userId, orderId, chargeId, fulfilAfterMs }: { userId: number; orderId: number; chargeId: string; fulfilAfterMs: number }) {
  const updated = await trx
    .updateTable('orders')
    .set({ status: 'paid', payment_ref: chargeId, updated_at: Date.now() })
    .where('id', '=', orderId)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  if (updated.numUpdatedRows === 0n) {
    const order = await trx.selectFrom('orders').select('payment_ref').where('id', '=', orderId).executeTakeFirst()
    return order?.payment_ref === chargeId
  }
  await enqueueJob(trx, 'notify', { userId, orderId, message: `Thank you! Order #${orderId} is paid.` })
  await enqueueJob(trx, 'fulfil-order', { orderId }, { delayMs: fulfilAfterMs })
  return true
}

/** The order an earlier request with this key placed, if this request is the same; 422 if not. */
async function replay(db: Db, { userId, cartId, input }: PlaceOrder, key: string): Promise<Order | undefined> {
  const keyed = await settledOrderByKey(db, userId, key)
  if (!keyed) return undefined
  const order = (await findOrder(db, userId, keyed.id))!
  if (keyed.requestHash === null) return order // placed before request hashes were kept
  // The first attempt moved the cart's lines into its order: a retry that finds the cart empty
  // asks for those lines; a cart that was filled again must hold them to be the same request.
  // A request naming the lines it was shown (cartVersion: the checkout form's) asks for those:
  // when they are the order's, it is the same request whatever the cart holds now (products set
  // aside join an emptied cart at this very request; another tab may have added some).
  if (input.cartVersion !== undefined && input.cartVersion === versionOf(order.items)) {
    if (requestHash(order.items, input) !== keyed.requestHash) throw keyReused(order.id)
    return order
  }
  const cart = await readCart(db, cartId)
  const lines = cart.items.length > 0 ? cart.items : order.items
  if (requestHash(lines, input) !== keyed.requestHash) throw keyReused(order.id)
  return order
}

/** Step 1: claims the cart into a pending order with its stock reserved, in one transaction. */
async function openOrder(db: Db, { userId, cartId, input, idempotencyKey }: PlaceOrder): Promise<{ orderId: number; cart: Cart } | 'key-taken'> {
  return db.transaction().execute(async (trx) => {
    // One checkout of this shopper at a time, across processes and hosts (SQLite's transactions
    // are one at a time anyway): read here, the key and the cart cannot change before it ends.
    await writeAlone(trx, `checkout:${userId}`)
    if (
      idempotencyKey &&
      (await trx.selectFrom('orders').select('id').where('user_id', '=', userId).where('idempotency_key', '=', idempotencyKey).executeTakeFirst())
    )
      return 'key-taken' as const
    const cart = await readCart(trx, cartId)
    if (cart.items.length === 0) throw new HttpError(400, 'empty_cart', 'Your cart is empty.')
    // What the shopper was shown is what they pay for: not a line added in another tab, nor a new price.
    if (input.cartVersion !== undefined && input.cartVersion !== cart.version) throw cartChanged()
    // An order's total is an `integer` column: PostgreSQL refuses more, SQLite would keep it.
    if (cart.totalCents > MAX_ORDER_CENTS)
      throw new HttpError(400, 'order_too_large', `One order can be at most ${formatPrice(MAX_ORDER_CENTS)}: split your cart into several orders.`)
    // The stock first, then the cart's lines: the order every writer of both takes them in (an
    // order undone, a product deleted with its lines). Taken the other way, PostgreSQL deadlocked.
    await reserveStock(trx, cart.items).catch(async (err: unknown) => {
      throw err instanceof InsufficientStockError ? await notInStock(trx, cart, err.productId) : err
    })
    await takeFromCart(trx, cartId!, cart.items)
    const now = Date.now()
    const { id } = await trx
      .insertInto('orders')
      .values({
        user_id: userId,
        status: 'pending',
        total_cents: cart.totalCents,
        currency: 'USD',
        shipping: JSON.stringify(input.shipping),
        payment_ref: null,
        idempotency_key: idempotencyKey ?? null,
        request_hash: idempotencyKey ? requestHash(cart.items, input) : null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('order_lines')
      .values(cart.items.map((item) => ({ order_id: id, product_id: item.productId, name: item.name, quantity: item.quantity, price_cents: item.priceCents })))
      .execute()
    // Should this process die before the payment's outcome is written, the order is undone (its
    // stock released, a charge found refunded), however long the gateway or the database is away.
    await enqueueJob(trx, 'expire-pending-order', { orderId: id }, { delayMs: PENDING_TIMEOUT_MS, maxAttempts: GATEWAY_JOB_ATTEMPTS })
    return { orderId: id, cart }
  })
}

/**
 * Takes the order's lines out of the cart: each less what the order holds, gone at none. Only
 * those: on PostgreSQL a line another request added or raised since the cart was read (another
 * tab's "Add to cart", answered 201) commits beside this transaction, and stays for the shopper.
 * Each statement re-reads a line another request changed before it goes on (read committed).
 */
async function takeFromCart(trx: Db, cartId: number, lines: readonly CartLine[]): Promise<void> {
  for (const { productId, quantity } of lines) {
    await trx.deleteFrom('cart_items').where('cart_id', '=', cartId).where('product_id', '=', productId).where('quantity', '<=', quantity).execute()
    await trx
      .updateTable('cart_items')
      .set((eb) => ({ quantity: eb('quantity', '-', quantity) }))
      .where('cart_id', '=', cartId)
      .where('product_id', '=', productId)
      .execute()
  }
}

const cartChanged = () =>
  new HttpError(409, 'cart_changed', 'Your cart has changed since this page showed it (in another tab, or a price): check it below, then place the order.')

/**
 * A 409 naming the cart's line that the stock cannot cover (sold since, or more than a merged cart
 * kept), and what to do. The stock is read again: another checkout may have taken some since the
 * cart was read (PostgreSQL reads each statement afresh).
 */
async function notInStock(trx: Db, cart: Cart, productId: number): Promise<HttpError> {
  const line = cart.items.find((item) => item.productId === productId)
  const [product] = await getProductsByIds(trx, [productId])
  if (!line || !product) return new HttpError(409, 'insufficient_stock', 'Some items in your cart are no longer in stock in that quantity.')
  const message =
    product.stock > 0
      ? `Only ${product.stock} of ${line.name} left, and your cart holds ${line.quantity}: change the quantity in your cart, then check out again.`
      : `${line.name} is sold out: take it out of your cart, then check out again.`
  return new HttpError(409, 'insufficient_stock', message)
}

/**
 * Undoes an order that was never paid, inside the caller's transaction, as if it had not been
 * placed: its lines go back into its owner's cart and its stock back on the shelf. A paid (or
 * already undone) order is left alone. True when it undid one.
 */
export async function undoOrder(trx: Db, orderId: number): Promise<boolean> {
  const lines = await trx.selectFrom('order_lines').select(['product_id as productId', 'quantity']).where('order_id', '=', orderId).execute()
  const deleted = await trx.deleteFrom('orders').where('id', '=', orderId).where('status', '=', 'pending').returning('user_id').executeTakeFirst()
  if (!deleted) return false
  await releaseStock(trx, lines)
  await returnToCart(trx, deleted.user_id, lines)
  return true
}

/** What an order's charge is sent with, and found by again: unique, as order ids are never reused. */
const chargeReference = (orderId: number) => `order-${orderId}`

/**
 * An order's expiry (queued when it was opened, runs 15 minutes on). An order still pending (its
 * process died, or the database failed, before the payment's outcome was written) is undone, its
 * cart given back. Then, unless the order stands (paid, shipped or cancelled: cancelling refunds),
 * any charge made for it is refunded, found at the gateway by its reference: a charge that went
 * through while its outcome was lost, also behind a charge call that failed and was taken as a
 * decline. Undone first, so a payment still arriving can no longer mark it paid. Safe to repeat: a
 * job that fails (the gateway is down) runs again and finds the order undone and the charge there.
 */
export async function expirePendingOrder(db: Db, gateway: PaymentGateway, orderId: number): Promise<{ undone: boolean; refunded: string | null }> {
  const undone = await db.transaction().execute((trx) => undoOrder(trx, orderId))
  // Undone now, it does not stand; else it may (paid) or may have been undone before.
  const stands = !undone && (await db.selectFrom('orders').select('id').where('id', '=', orderId).executeTakeFirst())
  if (stands) return { undone, refunded: null }
  const refunded = await gateway.findCharge(chargeReference(orderId))
  if (refunded) await gateway.refund(refunded)
  return { undone, refunded }
}
