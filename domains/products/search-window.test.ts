import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dataCaches } from '#shared/cache'
import { insertMany, type Db } from '#shared/db'
import { createProduct } from './admin.server.ts'
import { listProductCards, listProducts } from './listing.server.ts'
import { SEARCH_WINDOW } from './search-window.ts'
import { seedCatalogue } from './seed.server.ts'
import { catalogueDb } from './test-db.ts'

/*
 * A search ranks its window (the SEARCH_WINDOW newest matches), so its cost stays bounded
 * whatever the catalogue (decision 014). Fixtures: "Widget", then more newer widgets than the
 * window holds, so the exactly named one is outside it.
 */
let db: Db
let widget: number
const MORE = SEARCH_WINDOW + 150
beforeAll(async () => {
  db = await catalogueDb()
  await seedCatalogue(db)
  widget = (await createProduct(db, { name: 'Widget', description: 'The original.', priceCents: 999, stock: 1, category: 'kitchen' })).id
  const kitchen = (await db.selectFrom('categories').select('id').where('slug', '=', 'kitchen').executeTakeFirstOrThrow()).id
  const audio = (await db.selectFrom('categories').select('id').where('slug', '=', 'audio').executeTakeFirstOrThrow()).id
  const rows = Array.from({ length: MORE }, (_, i) => ({
    slug: `widget-${i}`,
    name: `Widget ${i} Deluxe`,
    description: 'A widget and a widget again, for widget lovers.',
    price_cents: 100 + ((i * 37) % 5000),
    stock: 5,
    category_id: i % 2 ? kitchen : audio,
    image_url: null,
    created_at: Date.UTC(2027, 0, 1) + i,
    updated_at: 0,
  }))
  await db.transaction().execute((trx) => insertMany(trx, 'products', rows))
})
afterAll(() => db.destroy())

describe('a search with more matches than its window', () => {
  it('says so ("1,000+"), numbers its pages up to the window, and reaches the last page', async () => {
    const first = await listProducts(db, { q: 'widget', page: 1, limit: 48 })
    expect(first).toMatchObject({ totalExact: false, page: 1 })
    expect(first.total).toBeGreaterThanOrEqual(SEARCH_WINDOW) // true: there are more
    expect(first.pageCount).toBe(Math.ceil(first.total / 48))
    expect(first.links).toEqual({ first: null, previous: null, next: { page: 2 }, last: { page: 'last' } })
    const last = await listProducts(db, { q: 'widget', page: 'last', limit: 48 })
    expect(last.page).toBe(first.pageCount)
    expect(last.items.length).toBe(first.total - 48 * (first.pageCount - 1))
    expect(last.links).toMatchObject({ next: null, last: null, previous: { page: first.pageCount - 1 } })
    // Every page of the window once: no product twice, none left out.
    const seen = new Set<number>()
    for (let page = 1; page <= first.pageCount; page++)
      for (const item of (await listProductCards(db, { q: 'widget', page, limit: 48 })).items) seen.add(item.id)
    expect(seen.size).toBe(first.total)
  })

  it('ranks the product named exactly as typed first, though older than the window, in any casing', async () => {
    for (const q of ['widget', 'WIDGET', 'Widget']) expect((await listProducts(db, { q, page: 1, limit: 10 })).items[0]!.id, q).toBe(widget)
    expect((await listProducts(db, { q: 'widget', page: 2, limit: 10 })).items.map((p) => p.id)).not.toContain(widget)
    // Within the window too: a newer exact name beats names that only contain the word.
    const newer = await createProduct(db, { name: 'Widget Deluxe', description: '', priceCents: 5, stock: 1, category: 'audio' })
    expect((await listProducts(db, { q: 'widget deluxe', page: 1, limit: 5 })).items[0]!.id).toBe(newer.id)
  })

  it('with a category and a sort: the window of that category, sorted, every item in it', async () => {
    const page = await listProducts(db, { q: 'widget', category: 'kitchen', sort: 'price-asc', page: 1, limit: 48 })
    expect(page.items.every((p) => p.category === 'kitchen')).toBe(true)
    const prices = page.items.map((p) => p.priceCents)
    expect(prices).toEqual([...prices].sort((a, b) => a - b))
    const all = await listProducts(db, { q: 'widget', category: 'kitchen', page: 1, limit: 48 })
    expect(all.total).toBeGreaterThan(48)
  })

  it('a search with fewer matches than the window counts them exactly', async () => {
    const mugs = await listProducts(db, { q: 'mug', page: 1, limit: 48 })
    expect(mugs.totalExact).toBe(true)
    // Counted from the text itself, whichever database searched: a word of the name or description starting with "mug".
    const texts = await db.selectFrom('products').select(['name', 'description']).execute()
    const counted = texts.filter((p) =>
      `${p.name} ${p.description}`
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .some((word) => word.startsWith('mug')),
    ).length
    expect(counted).toBeGreaterThan(0)
    expect(mugs.total).toBe(counted)
  })

  it("keeps a search's ranked window until the catalogue changes, on every process: its pages read only their rows", async () => {
    const first = await listProducts(db, { q: 'gizmo', page: 1, limit: 48 })
    expect(first.total).toBe(0)
    // Written behind the app's back (no service, no tag): the kept window does not know it yet.
    const category = (await db.selectFrom('categories').select('id').where('slug', '=', 'audio').executeTakeFirstOrThrow()).id
    await db.transaction().execute((trx) =>
      insertMany(trx, 'products', [
        {
          slug: 'gizmo',
          name: 'Gizmo',
          description: '',
          price_cents: 100,
          stock: 1,
          category_id: category,
          image_url: null,
          created_at: Date.now(),
          updated_at: 0,
        },
      ]),
    )
    expect((await listProducts(db, { q: 'gizmo', page: 1, limit: 48 })).total).toBe(0)
    // Kept by the search the text makes, not the text: another spelling of it walks no more.
    for (const q of ['GIZMO!', 'gizmo, Gizmo', '"gizmo"*']) expect((await listProducts(db, { q, page: 1, limit: 48 })).total, q).toBe(0)
    // What an admin's change does on every process (the invalidation log): the catalogue's tag.
    dataCaches.invalidateTag('products')
    expect((await listProducts(db, { q: 'gizmo', page: 1, limit: 48 })).items.map((p) => p.name)).toEqual(['Gizmo'])
    // The service's own writes forget at once, in this process.
    const another = await createProduct(db, { name: 'Gizmo Two', description: '', priceCents: 5, stock: 1, category: 'audio' })
    expect((await listProducts(db, { q: 'gizmo', page: 1, limit: 48 })).items.map((p) => p.id)).toContain(another.id)
  })
})
