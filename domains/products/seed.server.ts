import { sql } from 'kysely'
import { insertMany, withIndexesDeferred, writeAlone, type Db } from '#shared/db'
import { catalogueProducts } from './generate-catalogue.ts'
import { forgetSearches } from './search-page.server.ts'
import { searchOf } from './search.server.ts'
import { CATALOGUE } from './seed-data.ts'

/** Migration 003's triggers that keep each category's product count, row by row. */
const COUNT_TRIGGERS = ['products_count_insert', 'products_count_delete', 'products_count_move']

/**
 * Fills an empty catalogue with `count` deterministic products (see generate-catalogue.ts) in one
 * transaction; does nothing, and answers 0, when it has products. The rows go in with the
 * secondary indexes and the search triggers off; then the search index is built in one pass
 * (the search's upkeep: search.server.ts), the indexes once each and the categories' counts once: a million products in
 * 46-48 s on a slow hour of this project's 2-core machine instead of two minutes (PostgreSQL: 64-65 s; docs/decisions/013).
 */
export async function seedCatalogue(db: Db, count = 1000): Promise<number> {
  const added = await db.transaction().execute(async (trx) => {
    // Checked alone: two processes (or hosts) starting at once seed once.
    await writeAlone(trx, 'seed-catalogue')
    if (await trx.selectFrom('products').select('id').limit(1).executeTakeFirst()) return 0
    for (const [slug, { name }] of Object.entries(CATALOGUE)) {
      await trx
        .insertInto('categories')
        .values({ slug, name })
        .onConflict((conflict) => conflict.column('slug').doNothing())
        .execute()
    }
    const ids = Object.fromEntries((await trx.selectFrom('categories').select(['id', 'slug']).execute()).map((row) => [row.slug, row.id]))
    const search = searchOf(trx).upkeep
    const added = await withIndexesDeferred(trx, 'products', [...search.triggers, ...COUNT_TRIGGERS], async () => {
      const added = await insertMany(trx, 'products', productRows(count, ids))
      await search.rebuild(trx)
      return added
    })
    // Counted once, in one pass over the new rows (a count per category through products_category
    // took 6 s on PostgreSQL: a fresh table's index cannot answer without reading its rows). A
    // category with none kept its 0: the catalogue was empty.
    await sql`update categories set product_count = counted.n
      from (select category_id, count(*) as n from products group by category_id) as counted
      where counted.category_id = categories.id`.execute(trx)
    return added
  })
  forgetSearches()
  return added
}

function* productRows(count: number, categoryIds: Record<string, number>) {
  for (const p of catalogueProducts(count)) {
    yield {
      slug: p.slug,
      name: p.name,
      description: p.description,
      price_cents: p.priceCents,
      stock: p.stock,
      category_id: categoryIds[p.category]!,
      image_url: null,
      created_at: p.createdAt,
      updated_at: p.createdAt,
    }
  }
}

/** The first `limit` products by id, with what an order line keeps: what seeded orders buy. */
export function productsForSeededOrders(db: Db, limit: number): Promise<{ id: number; name: string; priceCents: number }[]> {
  return db.selectFrom('products').select(['id', 'name', 'price_cents as priceCents']).orderBy('id').limit(limit).execute()
}
