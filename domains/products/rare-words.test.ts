import type { Compilable } from 'kysely'
import pg from 'pg'
import { openDatabase, settleBulkLoad, testDatabaseLocation, testDialect, type Db } from '#shared/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listProductCards } from './listing.server.ts'
import { rareWordsOf } from './rare-words.postgres.server.ts'
import { DEFAULT_SEARCH_LIMITS, forgetSearches, newestMatchesQuery, rareFirstMatchesQuery } from './search-page.server.ts'
import { toTsQuery } from './search.postgres.server.ts'
import { seedCatalogue } from './seed.server.ts'
import { SEARCH_WINDOW } from './search-window.ts'
import { catalogueDb } from './test-db.ts'

/**
 * PostgreSQL's walk from the rare words only (rare-words.postgres.server.ts, rareFirstQuery):
 * which words the statistics call rare, and that the walk finds exactly the matches the whole
 * query's walk finds, newest first, in the category too.
 */
describe.skipIf(testDialect !== 'postgres')('a search walked from its rare words (PostgreSQL)', () => {
  let db: Db
  let location: string
  beforeAll(async () => {
    location = await testDatabaseLocation()
    db = await catalogueDb(location)
    await seedCatalogue(db, 20_000)
    await settleBulkLoad(db, ['products']) // analyzed: the statistics rareWordsOf reads
  }, 60_000)
  afterAll(() => db.destroy())

  it('leaves out of the index the common words, where testing the rows of the rest costs less', async () => {
    expect(await rareWordsOf(db, toTsQuery('mug a made for by in the with')!)).toBe(`'mug':*`) // "a", a whole word in every product, is gathered whole too
    expect(await rareWordsOf(db, toTsQuery('a made for by in well with the rest of xylophone quokka')!)).toBe(`'xylophone':* & 'quokka':*`)
    expect(await rareWordsOf(db, toTsQuery('ha mug for the made')!)).toBe(`'mug':*`) // a two-letter prefix is never where to start
    expect(await rareWordsOf(db, toTsQuery('a made for the')!)).toBeNull() // every word common
    expect(await rareWordsOf(db, toTsQuery('walnut xylophone')!)).toBeNull() // every word rare
    expect(await rareWordsOf(db, toTsQuery('stoneware a')!)).toBeNull() // stoneware's rows cost more than gathering "a"
    expect(await rareWordsOf(db, toTsQuery('mug the')!)).toBeNull() // mug's rows cost more than gathering "the"
  })

  // Words that match somewhere, and (the last) words that match nowhere together.
  const searches = [
    'mug a made for by in the with',
    'a made for by in pairs well with the rest of walnut',
    'ha mug for the made',
    'stoneware with the made for by',
    'a made for by in pairs well with the rest of xylophone',
  ]
  for (const words of searches) {
    for (const category of ['', 'kitchen']) {
      it(`"${words}"${category ? ` in ${category}` : ''}: the same matches as the whole query's walk`, async () => {
        const match = toTsQuery(words)!
        const rare = await rareWordsOf(db, match)
        expect(rare).not.toBeNull()
        const p = { match, category, limit: SEARCH_WINDOW + 1 }
        const shape = { category: !!category }
        const rows = async (query: Compilable<{ id: number }>) => (await db.executeQuery(query.compile())).rows
        const whole = await rows(newestMatchesQuery(db, shape, p))
        expect(await rows(rareFirstMatchesQuery(db, shape, { ...p, rare: rare! }))).toEqual(whole)
        if (!words.includes('xylophone')) expect(whole.length).toBeGreaterThan(0)
      })
    }
  }

  it('sends nothing for the statistics while they are kept: each statement_timeout set is for a query of the search', async () => {
    const original = pg.Client.prototype.query
    const sent: string[] = []
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const config = args[0] as string | { text?: string }
      sent.push(typeof config === 'string' ? config : (config.text ?? ''))
      return Reflect.apply(original, this, args)
    } as typeof original
    const searching = openDatabase(location) // a pool of its own: its connections send through the above
    try {
      const search = { q: 'mug a made for by in the with', limit: 48, page: 1 } as const
      await listProductCards(searching, search, DEFAULT_SEARCH_LIMITS) // reads the statistics and keeps them
      forgetSearches()
      sent.length = 0
      expect((await listProductCards(searching, search, DEFAULT_SEARCH_LIMITS)).items.length).toBeGreaterThan(0)
      expect(sent.some((text) => text.includes('ts_match_vq'))).toBe(true) // walked from its rare words
      expect(sent.some((text) => text.includes('pg_stats'))).toBe(false)
      const afterTimeouts = sent.flatMap((text, i) => (text.includes('set_config') ? [sent[i + 1] ?? ''] : []))
      expect(afterTimeouts.length).toBeGreaterThan(0)
      expect(afterTimeouts.filter((text) => text.includes('set_config') || text === 'commit')).toEqual([])
    } finally {
      pg.Client.prototype.query = original
      await searching.destroy()
    }
  })

  it('is not fooled by a table with no statistics: the whole query is asked', async () => {
    const fresh = await catalogueDb()
    try {
      expect(await rareWordsOf(fresh, toTsQuery('mug a made for')!)).toBeNull()
    } finally {
      await fresh.destroy()
    }
  })
})
