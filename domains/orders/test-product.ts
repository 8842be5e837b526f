import type { Db } from '#shared/db'

/** A product of the test's own (in the seeded catalogue's first category), for a test that deletes or changes it: its id. */
export async function ownProduct(db: Db, slug: string): Promise<number> {
  const now = Date.now()
  const row = { slug, name: slug, description: '', price_cents: 500, stock: 5, category_id: 1, image_url: null, created_at: now, updated_at: now }
  return (await db.insertInto('products').values(row).returning('id').executeTakeFirstOrThrow()).id
}
