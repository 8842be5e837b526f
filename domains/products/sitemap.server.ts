import type { Db } from '#shared/db'
import type { SitemapSource } from '#shared/domain'
import { CATALOGUE_TAG } from './cache-tags.ts'
import './tables.server.ts'

/**
 * Rows a sitemap part reads at a time. Each read is a query of its own, finished before the rows
 * are sent: a client that reads slowly (or never) holds no cursor open, and on SQLite (one
 * connection) no other request waits for it.
 */
const PAGE = 1000

/** Every product's page, by id: a part is one range of the primary key, read in pages of it. */
const products: SitemapSource = {
  name: 'products',
  // An admin's change (a new, renamed or deleted product, its last change) drops the catalogue's tag; a sale changes no URL.
  tags: [CATALOGUE_TAG],
  lastKey: async (db: Db) =>
    (
      await db
        .selectFrom('products')
        .select((eb) => eb.fn.max('id').as('last'))
        .executeTakeFirst()
    )?.last ?? 0,
  // One row's look per part, for the index (a range emptied by deletions is not listed).
  hasUrls: async (db, after, upTo) =>
    (await db.selectFrom('products').select('id').where('id', '>', after).where('id', '<=', upTo).limit(1).executeTakeFirst()) !== undefined,
  async *urls(db, after, upTo) {
    for (let from = after; ; ) {
      const rows = await db
        .selectFrom('products')
        .select(['id', 'slug', 'updated_at'])
        .where('id', '>', from)
        .where('id', '<=', upTo)
        .orderBy('id')
        .limit(PAGE)
        .execute()
      for (const row of rows) yield { path: `/products/${row.slug}`, lastModified: new Date(row.updated_at) }
      if (rows.length < PAGE) return
      from = rows.at(-1)!.id
    }
  },
}

/** The catalogue's front doors: home, all products, each category with a product (one small part). */
const catalogue: SitemapSource = {
  name: 'catalogue',
  tags: [CATALOGUE_TAG],
  lastKey: async () => 1,
  async *urls(db) {
    yield { path: '/' }
    yield { path: '/products' }
    // An empty category's page says "nothing here" (and noindex): no address to be found by.
    const stocked = db
      .selectFrom('categories')
      .select('slug')
      .where((eb) => eb.exists(eb.selectFrom('products').select('products.id').whereRef('products.category_id', '=', 'categories.id')))
    for (const { slug } of await stocked.orderBy('slug').execute()) yield { path: `/products?category=${encodeURIComponent(slug)}` }
  },
}

export const productSitemap = [catalogue, products]
