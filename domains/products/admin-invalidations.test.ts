import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '#shared/db'
import { adjustStock, createProduct, deleteProduct, updateProduct } from './admin.server.ts'
import { MAX_STOCK } from './schemas.ts'
import { seedCatalogue } from './seed.server.ts'
import { catalogueDb } from './test-db.ts'

let db: Db
beforeAll(async () => {
  db = await catalogueDb()
  await seedCatalogue(db, 10)
})
afterAll(() => db.destroy())
beforeEach(() => db.deleteFrom('tessera_cache_invalidations').execute())

/** The page-cache invalidations committed so far, which every process applies (tags only here). */
const recorded = () =>
  db
    .selectFrom('tessera_cache_invalidations')
    .select('value')
    .orderBy('id')
    .execute()
    .then((rows) => rows.map((row) => row.value))

const input = (name: string) => ({ name, description: '', priceCents: 500, stock: 3, category: 'kitchen' })

// Written in the change's own transaction, not by the request after it: a crash or a lost
// connection between the two would otherwise leave every other host's pages and searches old.
describe('an admin change to the catalogue', () => {
  it('records, with the change, the invalidation of the catalogue and of the product', async () => {
    const { id } = await createProduct(db, input('Ledger Lamp'))
    expect(await recorded()).toEqual(['products', `product:${id}`])

    for (const change of [() => updateProduct(db, id, { name: 'Ledger Light' }), () => adjustStock(db, id, 2), () => deleteProduct(db, id)]) {
      await db.deleteFrom('tessera_cache_invalidations').execute()
      await change()
      expect(await recorded()).toEqual(['products', `product:${id}`])
    }
  })

  it('records nothing when it is refused, and changes nothing', async () => {
    const { id, slug, updatedAt } = await createProduct(db, input('Refusal Rug'))
    await updateProduct(db, id, { name: 'Refusal Rug Two' }, Date.parse(updatedAt) + 1000)
    await db.deleteFrom('tessera_cache_invalidations').execute()

    await expect(createProduct(db, { ...input('Copy'), slug })).rejects.toMatchObject({ status: 409 })
    await expect(updateProduct(db, id, { name: 'Stale' }, Date.now(), { updatedAt })).rejects.toMatchObject({ status: 409 })
    await expect(adjustStock(db, id, MAX_STOCK)).rejects.toMatchObject({ status: 400 })
    await expect(createProduct(db, { ...input('Nowhere'), category: 'no-such-category' })).rejects.toMatchObject({ status: 400 })
    expect(await updateProduct(db, 999_999, { name: 'Ghost' })).toBeUndefined()
    expect(await deleteProduct(db, 999_999)).toBe(false)
    expect(await recorded()).toEqual([])
  })
})
