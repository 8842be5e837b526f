import { createHash } from 'node:crypto'
import type { Db } from '#shared/db'
import { HttpError } from '#shared/http'
import type { CheckoutInput } from './schemas.ts'

/** A line as the request orders it: which product, how many, at what unit price. */
export interface RequestLine {
  productId: number
  quantity: number
  priceCents: number
}

/**
 * The fingerprint of a checkout request, stored with its Idempotency-Key. Two requests are the
 * same when they order the same lines (product, quantity, unit price in cents, in any order),
 * to the same shipping address (as validated: trimmed, country upper-cased), with the same card.
 *
 * The card counts by its first six and last four digits and its expiry, never its whole number
 * nor the CVC: the SHA-256 of a card number is reversed by trying the ~10⁹ numbers a BIN and the
 * Luhn digit leave (seconds on a GPU), whereas the first six and last four are what PCI DSS lets
 * a shop keep in the clear, so the hash holds nothing secret (the address is on the order anyway)
 * and needs no key to manage. Two cards alike in all of those count as one: such a reused key
 * replays the first order and charges neither card again.
 */
export function requestHash(lines: readonly RequestLine[], { shipping, card }: CheckoutInput): string {
  const canonical = JSON.stringify([
    [...lines].sort((a, b) => a.productId - b.productId).map((line) => [line.productId, line.quantity, line.priceCents]),
    [shipping.name, shipping.line1, shipping.line2 ?? '', shipping.city, shipping.postalCode, shipping.country],
    [card.number.slice(0, 6), card.number.slice(-4), card.expMonth, card.expYear],
  ])
  return createHash('sha256').update(canonical).digest('base64url')
}

/** How long a request waits for an earlier one with its key (a double click) to finish paying. */
const WAIT_FOR_PENDING_MS = 10_000
const POLL_MS = 50

export interface KeyedOrder {
  id: number
  status: string
  requestHash: string | null
}

/**
 * The order this user placed with this key, once its payment has an outcome: a request that
 * arrives while the first is still paying (a double click, a quick retry) waits for it, then
 * gets that order; or nothing if it was declined (the key is free again).
 */
export async function settledOrderByKey(db: Db, userId: number, key: string): Promise<KeyedOrder | undefined> {
  for (let waited = 0; ; waited += POLL_MS) {
    const row = await db
      .selectFrom('orders')
      .select(['id', 'status', 'request_hash as requestHash'])
      .where('user_id', '=', userId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst()
    if (row?.status !== 'pending') return row
    if (waited >= WAIT_FOR_PENDING_MS)
      throw new HttpError(409, 'idempotency_key_in_use', 'An order with this Idempotency-Key is still being placed. Try again in a moment.', undefined, {
        'Retry-After': '2',
      })
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/** The answer to reusing a key for another request: the first order is not replayed, nothing is ordered. */
export const keyReused = (orderId: number) =>
  new HttpError(
    422,
    'idempotency_key_reused',
    `This Idempotency-Key was used for a different request (order #${orderId}). Send a new key to place a new order.`,
  )
