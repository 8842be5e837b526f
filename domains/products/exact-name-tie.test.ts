import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '#shared/db'
import { createProduct, updateProduct } from './admin.server.ts'
import { listProductCards } from './listing.server.ts'
import { seedCatalogue } from './seed.server.ts'
import { catalogueDb } from './test-db.ts'

/*
 * A relevance search puts the product named exactly as typed first. Names are not unique: of two
 * named alike, the newest is first, as in the rest of the ranking, on both databases. PostgreSQL
 * read it off its heap (a bitmap scan) or its index as its plan chose, so either one came first.
 */
let db: Db
beforeAll(async () => {
  db = await catalogueDb()
  await seedCatalogue(db)
})
afterAll(() => db.destroy())

const firstFound = async (q: string, category?: string) => (await listProductCards(db, { q, category, page: 1, limit: 10 })).items[0]?.id

describe('two products named alike', () => {
  it('the newest is the one named as typed, in a category or not, however the rows moved on disk', async () => {
    const kettle = { description: 'Boils.', priceCents: 2500, stock: 3, category: 'kitchen' }
    const older = await createProduct(db, { ...kettle, name: 'Quorn Kettle', slug: 'quorn-kettle-1' })
    const newer = await createProduct(db, { ...kettle, name: 'Quorn Kettle', slug: 'quorn-kettle-2' })
    for (const q of ['quorn kettle', 'Quorn Kettle']) {
      expect(await firstFound(q), q).toBe(newer.id)
      expect(await firstFound(q, 'kitchen'), q).toBe(newer.id)
    }
    // The older one changed (a new price): PostgreSQL writes its row anew, last in the heap.
    await updateProduct(db, older.id, { priceCents: 2400 })
    expect(await firstFound('quorn kettle')).toBe(newer.id)
    expect(await firstFound('quorn kettle', 'kitchen')).toBe(newer.id)
  })
})
