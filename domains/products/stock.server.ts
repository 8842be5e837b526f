import type { Kysely, Transaction } from 'kysely'
import type { Database } from '#shared/db'
import { HttpError } from '#shared/http'

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
 * not fit, so the caller's transaction is abandoned whole.
 * @example await db.transaction().execute(async (trx) => { await reserveStock(trx, lines); … })
 */
export async function reserveStock(trx: Executor, lines: readonly StockLine[]): Promise<void> {
  for (const { productId, quantity } of lines) {
    if (!Number.isInteger(quantity) || quantity <= 0) throw new HttpError(400, 'invalid_quantity', 'Quantities must be whole and positive.')
    const result = await trx
      .updateTable('products')
      .set((eb) => ({ stock: eb('stock', '-', quantity) }))
      .where('id', '=', productId)
      .where('stock', '>=', quantity)
      .executeTakeFirst()
    if (result.numUpdatedRows === 0n) throw new InsufficientStockError(productId)
  }
}

/** Gives stock back (a cancelled order), inside the caller's transaction. */
export async function releaseStock(trx: Executor, lines: readonly StockLine[]): Promise<void> {
  for (const { productId, quantity } of lines) {
    await trx
      .updateTable('products')
      .set((eb) => ({ stock: eb('stock', '+', quantity) }))
      .where('id', '=', productId)
      .execute()
  }
}
