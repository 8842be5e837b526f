import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Db } from '#shared/db'
import { createProduct } from './admin.server.ts'
import { findProduct } from './catalogue.server.ts'
import { InsufficientStockError, releaseStock, reserveStock } from './stock.server.ts'
import { catalogueDb } from './test-db.ts'
import { seedCatalogue } from './seed.server.ts'
import { startTsWorker } from '../../tests/support/ts-worker.ts'

let db: Db | undefined
afterEach(() => db?.destroy())

async function productWithStock(stock: number) {
  db = await catalogueDb()
  await seedCatalogue(db, 10)
  return createProduct(db, { name: `Limited ${stock}`, description: '', priceCents: 100, stock, category: 'kitchen' })
}

describe('reserveStock and releaseStock', () => {
  it('take and give back stock inside the caller transaction', async () => {
    const product = await productWithStock(5)
    await db!.transaction().execute((trx) => reserveStock(trx, [{ productId: product.id, quantity: 3 }]))
    expect((await findProduct(db!, product.id))!.stock).toBe(2)
    await db!.transaction().execute((trx) => releaseStock(trx, [{ productId: product.id, quantity: 3 }]))
    expect((await findProduct(db!, product.id))!.stock).toBe(5)
  })

  it('refuse to go below zero, and the whole transaction rolls back', async () => {
    const a = await productWithStock(5)
    const b = await createProduct(db!, { name: 'Scarce', description: '', priceCents: 100, stock: 1, category: 'kitchen' })
    const attempt = db!.transaction().execute((trx) =>
      reserveStock(trx, [
        { productId: a.id, quantity: 2 },
        { productId: b.id, quantity: 2 },
      ]),
    )
    await expect(attempt).rejects.toBeInstanceOf(InsufficientStockError)
    expect((await findProduct(db!, a.id))!.stock).toBe(5) // the first line was undone too
    expect((await findProduct(db!, b.id))!.stock).toBe(1)
  })

  it('drop the cached pages of the products they touched, in the same transaction', async () => {
    const a = await productWithStock(5)
    const b = await createProduct(db!, { name: 'Last one', description: '', priceCents: 100, stock: 1, category: 'kitchen' })
    const recorded = () =>
      db!
        .selectFrom('tessera_cache_invalidations')
        .select('value')
        .orderBy('id')
        .execute()
        .then((rows) => rows.map((row) => row.value))
    const lines = [
      { productId: a.id, quantity: 2 },
      { productId: b.id, quantity: 1 },
    ]
    await db!.deleteFrom('tessera_cache_invalidations').execute() // the products' creation
    await db!.transaction().execute((trx) => reserveStock(trx, [{ productId: a.id, quantity: 1 }]))
    expect(await recorded()).toEqual([`product:${a.id}`]) // still in stock: the in-stock listings keep
    await db!.deleteFrom('tessera_cache_invalidations').execute()
    await db!.transaction().execute((trx) => reserveStock(trx, lines))
    expect(await recorded()).toEqual([`product:${a.id}`, `product:${b.id}`, 'products:availability']) // b sold out
    await db!.deleteFrom('tessera_cache_invalidations').execute()
    await db!.transaction().execute((trx) => releaseStock(trx, lines))
    expect(await recorded()).toEqual([`product:${a.id}`, `product:${b.id}`, 'products:availability']) // b back in stock
    await db!.deleteFrom('tessera_cache_invalidations').execute()
    await expect(
      db!.transaction().execute((trx) =>
        reserveStock(trx, [
          { productId: a.id, quantity: 1 },
          { productId: b.id, quantity: 5 },
        ]),
      ),
    ).rejects.toBeInstanceOf(InsufficientStockError)
    expect(await recorded()).toEqual([]) // rolled back with the stock
  })

  // Its time is the four threads' start (each loads tsx and compiles the stock code, ~1 s apiece
  // on a 2-core machine), not the checkouts: 3-4.4 s measured, so an honest bound well above that.
  it('never oversell when several processes check out at once', { timeout: 30_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-stock-'))
    const path = join(dir, 'db.sqlite')
    const setup = await catalogueDb(path)
    await seedCatalogue(setup, 10)
    const product = await createProduct(setup, { name: 'Hot item', description: '', priceCents: 100, stock: 100, category: 'kitchen' })
    await setup.destroy()
    try {
      // Four threads, each its own SQLite connection (as four processes would have), 40 tries each.
      const workers = Array.from({ length: 4 }, () => runWorker(path, product.id, 40))
      const sold = (await Promise.all(workers)).reduce((sum, n) => sum + n, 0)
      db = await catalogueDb(path)
      expect(sold).toBe(100)
      expect((await findProduct(db, product.id))!.stock).toBe(0)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

function runWorker(path: string, productId: number, tries: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = startTsWorker(new URL('./stock.worker-fixture.ts', import.meta.url), { path, productId, tries })
    worker.once('message', resolve)
    worker.once('error', reject)
  })
}
