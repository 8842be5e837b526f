import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '#shared/db'
import { adjustStock, createProduct, deleteProduct, updateProduct } from './admin.server.ts'
import { findProduct, movedProductSlug } from './catalogue.server.ts'
import { listProductCards, listProducts } from './listing.server.ts'
import { MAX_STOCK, productInput, toCard, type Sort } from './schemas.ts'
import { generateCatalogue } from './generate-catalogue.ts'
import { seedCatalogue } from './seed.server.ts'
import { slugify } from './slug.ts'
import { toTsQuery } from './search.postgres.server.ts'
import { toFtsQuery } from './search.sqlite.server.ts'
import { catalogueDb } from './test-db.ts'

let db: Db
beforeAll(async () => {
  db = await catalogueDb()
  await seedCatalogue(db)
})
afterAll(() => db.destroy())

const list = (q: string, extra: Partial<Parameters<typeof listProducts>[1]> = {}) => listProducts(db, { q, page: 1, limit: 100, ...extra })

describe('the seed', () => {
  it('is 1,000 products over 10 categories, the same every time', async () => {
    expect(generateCatalogue()).toEqual(generateCatalogue())
    const all = await listProducts(db, { page: 1, limit: 1 })
    expect(all.total).toBe(1000)
    const categories = new Set(generateCatalogue().map((p) => p.category))
    expect(categories.size).toBe(10)
    expect(await seedCatalogue(db)).toBe(0) // never twice
  })
})

describe('listing cards', () => {
  it('lists the same products as full listings, for every kind of query', async () => {
    const queries = [{}, { q: 'oak' }, { category: 'kitchen' }, { q: 'la', category: 'decor', sort: 'price-asc' as const }, { sort: 'name' as const, page: 3 }]
    for (const query of queries) {
      const full = await listProducts(db, { page: 1, limit: 24, ...query })
      const cards = await listProductCards(db, { page: 1, limit: 24, ...query })
      expect(full.items.length).toBeGreaterThan(0)
      expect(cards).toEqual({ ...full, items: full.items.map(toCard) })
    }
  })
})

describe('search', () => {
  it('matches prefixes as the shopper types', async () => {
    const typed = await list('skil')
    expect(typed.total).toBeGreaterThan(0)
    expect(typed.items.every((p) => /skil/i.test(p.name + p.description))).toBe(true)
  })

  it('ranks a match in the name above one in the description only', async () => {
    const nameHit = await createProduct(db, { name: 'Zephyr Teapot', description: 'A pot for tea.', priceCents: 1000, stock: 3, category: 'kitchen' })
    const textHit = await createProduct(db, {
      name: 'Plain Kettle',
      description: 'Nothing like a zephyr teapot, but close.',
      priceCents: 1000,
      stock: 3,
      category: 'kitchen',
    })
    const { items } = await list('zephyr')
    expect(items.map((p) => p.id)).toEqual([nameHit.id, textHit.id])
  })

  it('ranks by relevance: the exact name, then every word in the name, then the rest, each the newest first', async () => {
    const add = (name: string, description = '') => createProduct(db, { name, description, priceCents: 700, stock: 2, category: 'kitchen' }).then((p) => p.id)
    const exact = await add('Quillon Mug') // the oldest of all, still first
    const inName = await add('Quillon Stoneware Mug')
    const inNameNewer = await add('Mug by QUILLON')
    const partly = await add('Quillon Lamp', 'Not a mug.') // one word in the name, one in the description
    const described = await add('Plain Jug', 'Pairs with a quillon mug.')
    expect((await list('quillon mug')).items.map((p) => p.id)).toEqual([exact, inNameNewer, inName, described, partly])
    expect((await list('QUILLON MUG', { category: 'audio' })).items).toEqual([])
  })

  it('keeps the index in step with edits', async () => {
    const product = await createProduct(db, { name: 'Quokka Lamp', description: '', priceCents: 500, stock: 1, category: 'decor' })
    await updateProduct(db, product.id, { name: 'Wombat Lamp' })
    expect((await list('quokka')).total).toBe(0)
    expect((await list('wombat')).items.map((p) => p.id)).toEqual([product.id])
  })

  it('finds a word with or without its accents, typed either way, on either database', async () => {
    const accented = await createProduct(db, { name: 'Crème Brûlée Dish', description: 'For a café.', priceCents: 900, stock: 2, category: 'kitchen' })
    const plain = await createProduct(db, { name: 'Creme Jar', description: '', priceCents: 500, stock: 2, category: 'kitchen' })
    const found = async (q: string) => (await list(q)).items.map((p) => p.id)
    expect(await found('creme')).toEqual([plain.id, accented.id])
    expect(await found('crème')).toEqual([plain.id, accented.id])
    expect(await found('brulee')).toEqual([accented.id])
    expect(await found('CAFÉ')).toEqual([accented.id])
  })

  it('finds a unit with the micro sign however it is typed (µ or the Greek μ it normalises to), on either database', async () => {
    const capacitor = await createProduct(db, { name: 'Capacitor 10µF', description: '', priceCents: 90, stock: 9, category: 'audio' })
    const greek = await createProduct(db, { name: 'Μέλι Jar', description: 'Greek μέλι.', priceCents: 900, stock: 9, category: 'kitchen' })
    const found = async (q: string) => (await list(q)).items.map((p) => p.id)
    expect(await found('10µF')).toEqual([capacitor.id])
    expect(await found('10μf')).toEqual([capacitor.id])
    expect(await found('µέλι')).toEqual([greek.id])
    expect(await found('ΜΈΛΙ')).toEqual([greek.id])
  })

  // FTS5's syntax and tsquery's (& | ! <-> :* and quotes), and words outside ASCII, on either database.
  it.each([
    '"',
    '*',
    'NEAR(',
    'mug OR',
    '"mug" NEAR(kettle',
    '-mug',
    'mug^2',
    "'; drop table products; --",
    '(((',
    'AND',
    'name:mug',
    '\\"',
    "mug & !kettle | 'x",
    'mug:* <-> (oak',
    "o'neil\\",
    'Café 日本語 ①²',
    '🙂 ǅ',
  ])('treats %j as plain words: no error, no FTS syntax', async (input) => {
    await expect(list(input)).resolves.toMatchObject({ page: 1 })
  })

  it('quotes every word and drops the syntax characters', () => {
    expect(toFtsQuery('blue mu t')).toBe('"blue"* "mu"* "t"')
    expect(toFtsQuery('NEAR("x" OR y*)')).toBe('"NEAR"* "x" "OR"* "y"')
    expect(toFtsQuery('  *"()  ')).toBeNull()
    expect(toTsQuery('blue mu t')).toBe("'blue':* & 'mu':* & 't'")
    expect(toTsQuery('NEAR("x" | y:*) & !o\'neil')).toBe("'NEAR':* & 'x' & 'y' & 'o' & 'neil':*")
    expect(toTsQuery('  *"():&|!<->  ')).toBeNull()
    expect(toTsQuery('10µF')).toBe("('10μF':* | '10µF':*)")
  })

  it('asks for each word once: none that another word asks for already (its prefix, its repeat in any case or accents)', () => {
    expect(toFtsQuery('Mug mugs MUG t T mùgs')).toBe('"mugs"* "t"')
    expect(toFtsQuery('t '.repeat(30))).toBe('"t"')
    expect(toFtsQuery('made made MADE máde made')).toBe('"made"*')
    // Twelve words, counted once each: a repeat does not push a word out.
    expect(toFtsQuery(`${'oak '.repeat(20)}bowl`)).toBe('"oak"* "bowl"*')
    expect(toTsQuery('Crème creme cremes')).toBe("'cremes':*")
  })

  it('matches a one-letter word whole, on either database: "t" finds the T-shirt, not every word starting with t', async () => {
    const shirt = await createProduct(db, { name: 'Quartzite T-Shirt', description: '', priceCents: 900, stock: 2, category: 'decor' })
    const table = await createProduct(db, { name: 'Quartzite Table', description: '', priceCents: 900, stock: 2, category: 'decor' })
    const found = async (q: string) => (await list(q)).items.map((p) => p.id)
    expect(await found('quartzite t')).toEqual([shirt.id])
    expect(await found('quartzite ta')).toEqual([table.id])
    expect(await found('quartzite')).toEqual([table.id, shirt.id])
    // Ranked as any word: in the name above in the description only, though newer.
    const vest = await createProduct(db, { name: 'Quartzite Vest', description: 'Warmer than a T-shirt.', priceCents: 900, stock: 2, category: 'decor' })
    expect(await found('quartzite t')).toEqual([shirt.id, vest.id])
  })

  it('finds nothing, at once, in a category there is not', async () => {
    expect(await list('mug', { category: 'no-such-category' })).toMatchObject({ items: [], total: 0 })
  })

  it('filters by category and sorts by price', async () => {
    const { items } = await list('', { category: 'audio', sort: 'price-asc', q: undefined })
    expect(items.length).toBeGreaterThan(0)
    expect(items.every((p) => p.category === 'audio')).toBe(true)
    const prices = items.map((p) => p.priceCents)
    expect(prices).toEqual([...prices].sort((a, b) => a - b))
  })

  it('pages: total and page count agree', async () => {
    const page = await listProducts(db, { page: 3, limit: 48 })
    expect(page.items).toHaveLength(48)
    expect(page.pageCount).toBe(Math.ceil(page.total / 48))
  })

  it("pages the same whether the page size is compiled into the SQL (the app's own) or bound (any other)", async () => {
    const compiledIn = await listProducts(db, { page: 2, limit: 48, sort: 'name' })
    const bound = await listProducts(db, { page: 1, limit: 96, sort: 'name' })
    expect(compiledIn.items.map((p) => p.id)).toEqual(bound.items.slice(48).map((p) => p.id))
    expect(compiledIn.total).toBe(bound.total)
  })
})

describe('admin changes', () => {
  it('keeps every slug a product had leading to it when two renames go at once (two admins, two hosts)', async () => {
    for (let round = 0; round < 5; round++) {
      const made = await createProduct(db, { name: `Racing Lamp ${round}`, description: '', priceCents: 100, stock: 1, category: 'decor' })
      const renames = [`racing-lamp-${round}-a`, `racing-lamp-${round}-b`, `racing-lamp-${round}-c`]
      await Promise.all(renames.map((slug) => updateProduct(db, made.id, { slug })))
      const { slug } = (await findProduct(db, made.id))!
      for (const old of [made.slug, ...renames.filter((other) => other !== slug)]) expect([old, await movedProductSlug(db, old)]).toEqual([old, slug])
    }
  })

  it('derives the slug from the name, and refuses a taken slug with 409 on the slug field', async () => {
    const made = await createProduct(db, { name: 'Café Mug (Blue)', description: '', priceCents: 1250, stock: 2, category: 'kitchen' })
    expect(made).toMatchObject({ slug: 'cafe-mug-blue', price: '$12.50', priceCents: 1250 })
    await expect(
      createProduct(db, { name: 'Other', slug: 'cafe-mug-blue', description: '', priceCents: 1, stock: 0, category: 'kitchen' }),
    ).rejects.toMatchObject({
      status: 409,
      issues: [{ path: ['slug'], message: 'That slug is taken.' }],
    })
    // Left blank, the slug made from the name is named: the admin never saw it.
    await expect(createProduct(db, { name: 'Café Mug (Blue)', description: '', priceCents: 1, stock: 0, category: 'kitchen' })).rejects.toMatchObject({
      status: 409,
      issues: [{ path: ['slug'], message: 'The slug made from the name, “cafe-mug-blue”, is taken: type another.' }],
    })
  })

  it('asks for a slug, on its field, for a name in another script', async () => {
    for (const name of ['Ελληνικό κύπελλο', '陶瓷杯', '🎉🎉']) {
      await expect(createProduct(db, { name, description: '', priceCents: 1, stock: 0, category: 'kitchen' })).rejects.toMatchObject({
        status: 400,
        issues: [{ path: ['slug'], message: expect.stringMatching(/^The name has no Latin letters or digits/) }],
      })
    }
    expect((await createProduct(db, { name: '陶瓷杯', slug: 'porcelain-cup', description: '', priceCents: 1, stock: 0, category: 'kitchen' })).name).toBe(
      '陶瓷杯',
    )
  })

  it('spells in a slug the Latin letters that have no accent to drop: ß, æ, ø, ł…', () => {
    expect(slugify('Große Straße Teeglas')).toBe('grosse-strasse-teeglas')
    expect(slugify('Ærø Smørrebrød Łódź Þórr')).toBe('aero-smorrebrod-lodz-thorr')
  })

  it('never makes or takes a slug of digits alone, which would read as an id', async () => {
    const book = await createProduct(db, { name: '1984', description: '', priceCents: 999, stock: 1, category: 'books' })
    expect(book.slug).toBe('1984-item')
    expect((await findProduct(db, '1984-item'))?.id).toBe(book.id)
    expect(
      productInput.safeParse({ name: 'Dune', slug: '5', description: '', priceCents: 1, stock: 0, category: 'books', imageUrl: null }).error?.issues,
    ).toEqual([expect.objectContaining({ path: ['slug'], message: 'Use at least one letter: digits alone read as an id' })])
  })

  it('keeps an adjusted stock within what the product form takes: 0 to MAX_STOCK, and lets one past it be lowered', async () => {
    const { id } = await createProduct(db, { name: 'Stock Jar', description: '', priceCents: 100, stock: MAX_STOCK - 5, category: 'kitchen' })
    await expect(adjustStock(db, id, 6)).rejects.toMatchObject({ status: 400, message: 'Stock cannot go above 1,000,000.' })
    await expect(adjustStock(db, id, -(MAX_STOCK - 4))).rejects.toMatchObject({ status: 400, message: 'Stock cannot go below zero.' })
    await adjustStock(db, id, 5)
    expect((await findProduct(db, id))?.stock).toBe(MAX_STOCK)
    // Above it already (stock given back by cancelled orders): it may be lowered, not raised.
    await db
      .updateTable('products')
      .set({ stock: MAX_STOCK + 10 })
      .where('id', '=', id)
      .execute()
    await adjustStock(db, id, -5)
    expect((await findProduct(db, id))?.stock).toBe(MAX_STOCK + 5)
    await expect(adjustStock(db, id, 1)).rejects.toMatchObject({ message: 'Stock cannot go above 1,000,000.' })
  })

  it('says in words how long a name, slug or description may be, not in zod’s', () => {
    const tooLong = productInput.safeParse({
      name: 'n'.repeat(121),
      slug: 's'.repeat(81),
      description: 'd'.repeat(5001),
      priceCents: 1,
      stock: 0,
      category: 'kitchen',
    })
    expect(tooLong.error?.issues.map((issue) => [issue.path[0], issue.message])).toEqual([
      ['name', 'Use at most 120 characters'],
      ['slug', 'Use at most 80 characters'],
      ['description', 'Use at most 5,000 characters'],
    ])
  })

  it('refuses an unknown category', async () => {
    await expect(createProduct(db, { name: 'Thing', description: '', priceCents: 1, stock: 0, category: 'nope' })).rejects.toMatchObject({ status: 400 })
  })
})

describe('totals', () => {
  /** What count(*) says: what the listing's total must say too. */
  const counted = async (category?: string) => {
    let query = db.selectFrom('products').innerJoin('categories', 'categories.id', 'products.category_id')
    if (category) query = query.where('categories.slug', '=', category)
    return Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  }
  const expectTrue = async () => {
    expect((await listProducts(db, { page: 1, limit: 1 })).total).toBe(await counted())
    for (const category of ['kitchen', 'decor', 'audio'])
      expect((await listProducts(db, { category, page: 1, limit: 1 })).total, category).toBe(await counted(category))
  }

  it('stay exact through creating, moving between categories and deleting products', async () => {
    await expectTrue()
    const made = await createProduct(db, { name: 'Counted Lamp', description: '', priceCents: 700, stock: 1, category: 'decor' })
    await expectTrue()
    await updateProduct(db, made.id, { category: 'kitchen' })
    await expectTrue()
    await updateProduct(db, made.id, { name: 'Counted Lamp II', category: 'kitchen' }) // same category: no change
    await expectTrue()
    await deleteProduct(db, made.id)
    await expectTrue()
  })
})

describe('keyset pages (after, before, last)', () => {
  /** The whole listing, by page numbers (100 a page, all within the numbered pages): what walking must give. */
  async function everything(query: { category?: string; sort?: Sort }) {
    const ids: number[] = []
    for (let page = 1; ; page++) {
      const { items, pageCount } = await listProducts(db, { ...query, page, limit: 100 })
      ids.push(...items.map((p) => p.id))
      if (page >= pageCount) return ids
    }
  }
  const views = [undefined, 'kitchen'].flatMap((category) => (['newest', 'price-asc', 'price-desc', 'name'] as const).map((sort) => ({ category, sort })))

  it.each(views.map((view) => [`${view.category ?? 'all'}, ${view.sort}`, view] as const))(
    '%s: Next from the first page and Previous from the last each visit every product once, in order',
    async (_, view) => {
      const truth = await everything(view)
      expect(truth.length).toBeGreaterThan(96)
      const forward: number[] = []
      let page = await listProducts(db, { ...view, page: 1, limit: 48 })
      for (;;) {
        forward.push(...page.items.map((p) => p.id))
        const next = page.links.next
        if (!next) break
        expect(page.links.last).toEqual({ page: 'last' })
        page = await listProducts(db, { ...view, ...next, limit: 48 })
        expect(page.page).toBeNull() // found by position, not number
      }
      expect(forward).toEqual(truth)

      const backward: number[][] = []
      page = await listProducts(db, { ...view, page: 'last', limit: 48 })
      expect(page.items).toHaveLength(48) // the last page is full: read from the end
      expect(page.links).toMatchObject({ next: null, last: null, first: { page: 1 } })
      for (;;) {
        backward.unshift(page.items.map((p) => p.id))
        const previous = page.links.previous
        if (!previous) break
        page = await listProducts(db, { ...view, ...previous, limit: 48 })
      }
      // Pages from the end line up with the end: Previous into the start shows the first page, full,
      // so it may show again a few products of the page after it.
      expect(backward[0]).toEqual(truth.slice(0, 48))
      expect([...new Set(backward.flat())]).toEqual(truth)
      expect(page.links).toMatchObject({ first: null, previous: null })
    },
  )

  it('a page after a product that was deleted since still follows on from where it was', async () => {
    const first = await listProducts(db, { sort: 'price-asc', page: 1, limit: 10 })
    const second = await listProducts(db, { sort: 'price-asc', page: 2, limit: 10 })
    const last = first.items.at(-1)!
    const made = await createProduct(db, { name: 'Fleeting Vase', description: '', priceCents: last.priceCents, stock: 1, category: 'decor' })
    const cursor = (first.links.next as { after: string }).after
    await deleteProduct(db, made.id)
    expect((await listProducts(db, { sort: 'price-asc', after: cursor, limit: 10 })).items.map((p) => p.id)).toEqual(second.items.map((p) => p.id))
  })

  it('refuses a position that is not one for its sort (a word for a price), and page numbers past the numbered pages', async () => {
    await expect(listProducts(db, { sort: 'price-asc', after: 'cheap_12', limit: 10 })).rejects.toMatchObject({ status: 400 })
    await expect(listProducts(db, { page: 21, limit: 10 })).rejects.toMatchObject({ status: 400 })
    expect((await listProducts(db, { sort: 'name', after: 'Quiet_Lamp_12', limit: 10 })).items.length).toBeGreaterThan(0) // a name may hold "_": the id is after the last
  })
})
