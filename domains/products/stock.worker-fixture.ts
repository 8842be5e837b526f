/** A checkout process for stock.test.ts: reserves one unit `tries` times, reports how many it got. */
import { parentPort, workerData } from 'node:worker_threads'
import { openDatabase } from '#shared/db'
import { InsufficientStockError, reserveStock } from './stock.server.ts'

const { path, productId, tries } = workerData as { path: string; productId: number; tries: number }
const db = openDatabase(path)
let got = 0
for (let i = 0; i < tries; i++) {
  try {
    await db.transaction().execute((trx) => reserveStock(trx, [{ productId, quantity: 1 }]))
    got++
  } catch (err) {
    if (!(err instanceof InsufficientStockError)) throw err
  }
}
await db.destroy()
parentPort!.postMessage(got)
