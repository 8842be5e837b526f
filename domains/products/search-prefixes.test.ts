import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDialect, type Db } from '#shared/db'
import { listProducts } from './listing.server.ts'
import { down, up } from './migrations/010-search-prefixes-up-to-six-letters.server.ts'
import { down as downTo6, up as upTo12 } from './migrations/012-search-prefixes-up-to-twelve-letters.server.ts'
import { seedCatalogue } from './seed.server.ts'
import { catalogueDb } from './test-db.ts'

let db: Db
beforeAll(async () => {
  db = await catalogueDb()
  await seedCatalogue(db, 3000)
})
afterAll(() => db.destroy())

/** Words of every length, prefixes and whole, and two at once. */
const searches = ['ha', 'mug', 'wood', 'walnu', 'walnut', 'cosy', 'resist', 'made wi', 'steel band', 'stonewa', 'stoneware', 'thoughtfully made', 'independent']
const totals = () => Promise.all(searches.map(async (q) => (await listProducts(db, { q, page: 1, limit: 1 })).total))
const declared = async () => (await sql<{ sql: string }>`select sql from sqlite_master where name = 'products_fts'`.execute(db)).rows[0]?.sql

describe.runIf(testDialect === 'sqlite')('migration 012: the search index by prefixes of 2 to 12 letters', () => {
  it('is remade from the products, finding what it found, down and up again', async () => {
    expect(await declared()).toContain("prefix='2 3 4 5 6 7 8 9 10 11 12'")
    const found = await totals()
    expect(Object.fromEntries(searches.map((q, i) => [q, found[i]! > 0]))).toEqual(Object.fromEntries(searches.map((q) => [q, true])))
    await downTo6(db as unknown as Kysely<unknown>)
    expect(await declared()).toContain("prefix='2 3 4 5 6'")
    expect(await totals()).toEqual(found)
    await upTo12(db as unknown as Kysely<unknown>)
    expect(await declared()).toContain("prefix='2 3 4 5 6 7 8 9 10 11 12'")
    expect(await totals()).toEqual(found)
    await sql`insert into products_fts(products_fts) values ('integrity-check')`.execute(db)
  })
})

describe.runIf(testDialect === 'sqlite')('migration 010: the search index by prefixes of 2 to 6 letters', () => {
  it('is remade from the products, finding what it found, down and up again', async () => {
    await downTo6(db as unknown as Kysely<unknown>) // as 010 left it
    expect(await declared()).toContain("prefix='2 3 4 5 6'")
    const found = await totals()
    expect(Object.fromEntries(searches.map((q, i) => [q, found[i]! > 0]))).toEqual(Object.fromEntries(searches.map((q) => [q, true])))
    await down(db as unknown as Kysely<unknown>)
    expect(await declared()).toContain("prefix='2 3'")
    expect(await totals()).toEqual(found)
    await up(db as unknown as Kysely<unknown>)
    expect(await declared()).toContain("prefix='2 3 4 5 6'")
    expect(await totals()).toEqual(found)
    await sql`insert into products_fts(products_fts) values ('integrity-check')`.execute(db)
    const hashSize = await sql<{ v: number }>`select v from products_fts_config where k = 'hashsize'`.execute(db)
    expect(hashSize.rows.map((row) => row.v)).toEqual([1024 * 1024])
    await upTo12(db as unknown as Kysely<unknown>)
  })
})
