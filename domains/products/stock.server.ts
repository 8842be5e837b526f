import type { Kysely, Transaction } from 'kysely'
import { recordInvalidations } from '#shared/cache'
import type { Database } from '#shared/db'
import { HttpError } from '#shared/http'
import { AVAILABILITY_TAG, productTag } from './cache-tags.ts'

export interface StockLine {
  productId: number
  quantity: number
}

/** Not enough stock for a line: 409, naming the product. The caller's transaction rolls back. */
export class InsufficientStockError extends HttpError {
  constructor(readonly productId: number) {
    super(409, 'insufficient_stock', 'Not enough stock for one of the products.', [{ path: ['items', productId], message: 'Not enough stock' }])
  }
}

type Executor = Kysely<Database> | Transaction<Database>

/**
 * Takes stock for each line inside the caller's transaction, with one conditional UPDATE per
 * line (`stock >= quantity`), never a read-then-write: however many processes check out at
 * once, stock cannot go below zero. Throws InsufficientStockError on the first line that does
 * not fit, so the caller's transaction is abandoned whole. The cached pages showing these
 * products are dropped when the transaction commits (see `stockChanged`).
 * @example await db.transaction().execute(async (trx) => { await reserveStock(trx, lines); … })
 */
export async function reserveStock(trx: Executor, lines: readonly StockLine[]): Promise<void> {
  let soldOut = false
  // In product order: two checkouts locking the same rows in other orders would deadlock (PostgreSQL).
  for (const { productId, quantity } of lines.toSorted((a, b) => a.productId - b.productId)) {
    if (!Number.isInteger(quantity) || quantity <= 0) throw new HttpError(400, 'invalid_quantity', 'Quantities must be whole and positive.')
    const updated = await trx
      .updateTable('products')
      .set((eb) => ({ stock: eb('stock', '-', quantity) }))
      .where('id', '=', productId)
      .where('stock', '>=', quantity)
      .returning('stock')
      .executeTakeFirst()
    if (!updated) throw new InsufficientStockError(productId)
    soldOut ||= updated.stock === 0
  }
  await stockChanged(trx, lines, soldOut)
}

/** Gives stock back (a cancelled, declined or expired order), inside the caller's transaction. */
export async function releaseStock(trx: Executor, lines: readonly StockLine[]): Promise<void> {
  let backInStock = false
  for (const { productId, quantity } of lines.toSorted((a, b) => a.productId - b.productId)) {
    const updated = await trx
      .updateTable('products')
      .set((eb) => ({ stock: eb('stock', '+', quantity) }))
      .where('id', '=', productId)
      .returning('stock')
      .executeTakeFirst()
    backInStock ||= updated !== undefined && updated.stock - quantity <= 0
  }
  await stockChanged(trx, lines, backInStock)
}

/**
 * Drops, once the caller's transaction commits, the cached pages that show these products (their
 * pages and the listings they are on), and the in-stock-only listings when one crossed zero:
 * not the whole catalogue's, which a busy store would otherwise lose at every checkout.
 */
async function stockChanged(trx: Executor, lines: readonly StockLine[], availabilityChanged: boolean): Promise<void> {
  const tags = lines.map((line) => productTag(line.productId))
  await recordInvalidations(trx, { tags: availabilityChanged ? [...tags, AVAILABILITY_TAG] : tags })
}
