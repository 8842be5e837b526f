import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Db } from '#shared/db'
import { listCategories } from './catalogue.server.ts'
import { catalogueDb } from './test-db.ts'

let db: Db
beforeAll(async () => {
  db = await catalogueDb()
})
afterAll(() => db.destroy())

// Names are not unique (slugs are): every page lists the categories, the same way on both databases.
it('lists categories named alike by slug, whatever order their rows are in', async () => {
  for (const slug of ['tools-b', 'garden', 'tools-a'])
    await db
      .insertInto('categories')
      .values({ slug, name: slug === 'garden' ? 'Garden' : 'Tools' })
      .execute()
  // PostgreSQL writes a changed row anew, last in the heap.
  await db.updateTable('categories').set({ product_count: 0 }).where('slug', '=', 'tools-a').execute()
  await db.updateTable('categories').set({ product_count: 0 }).where('slug', '=', 'tools-b').execute()
  expect((await listCategories(db)).map((category) => category.slug)).toEqual(['garden', 'tools-a', 'tools-b'])
  await db.updateTable('categories').set({ product_count: 0 }).where('slug', '=', 'tools-a').execute()
  expect((await listCategories(db)).map((category) => category.slug)).toEqual(['garden', 'tools-a', 'tools-b'])
})
