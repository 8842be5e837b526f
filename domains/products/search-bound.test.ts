import { sql } from 'kysely'
import { testDialect } from '#shared/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../tests/support/test-app.ts'
import { boundedSearch } from './search-bound.postgres.server.ts'
import { catalogueDb } from './test-db.ts'

/**
 * A search past SEARCH_TIMEOUT_MS on PostgreSQL (search-bound.postgres.server.ts): the shopper is
 * asked for fewer or rarer words, as a 422 with the API's error body and as a page saying so, and
 * the connection is free again. The bound is reached by holding a lock on a table the search reads
 * (a query waiting counts as one running), so the tests do not depend on the machine's speed.
 */
describe.skipIf(testDialect !== 'postgres')('a search past its bound (PostgreSQL)', () => {
  type TestApp = Awaited<ReturnType<typeof createTestApp>>
  const TOO_BROAD = { error: { code: 'search_too_broad', message: 'This search is too broad to answer quickly. Try fewer words, or rarer ones.' } }
  const get = async (testApp: TestApp, path: string) => testApp.app.request(`http://localhost${path}`)
  /** Holds `table` locked on a connection of its own until `release` resolves. */
  const holdLocked = (testApp: TestApp, table: 'products' | 'categories', release: Promise<unknown>) => {
    let locked!: () => void
    const isLocked = new Promise<void>((resolve) => (locked = resolve))
    const held = testApp.db.transaction().execute(async (trx) => {
      await sql`lock table ${sql.table(table)} in access exclusive mode`.execute(trx)
      locked()
      await release
    })
    return { isLocked, held }
  }
  /** Runs `work` while another connection holds products locked, so no walk of them can finish. */
  const whileProductsLocked = async <T>(testApp: TestApp, work: () => Promise<T>) => {
    let done!: () => void
    const lock = holdLocked(testApp, 'products', new Promise<void>((resolve) => (done = resolve)))
    await lock.isLocked
    try {
      return await work()
    } finally {
      done()
      await lock.held
    }
  }
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  describe('at its own bound', () => {
    let testApp: TestApp
    beforeAll(async () => {
      testApp = await createTestApp({ SEARCH_TIMEOUT_MS: '500' })
    })
    afterAll(() => testApp.close())

    it('answers 422 search_too_broad, in the API and on the page, and the same search answers once it can', async () => {
      const [api, page] = await whileProductsLocked(testApp, () => Promise.all([get(testApp, '/api/products?q=lamp'), get(testApp, '/products?q=mug')]))
      expect(api.status).toBe(422)
      expect(await api.json()).toEqual(TOO_BROAD)
      expect(page.status).toBe(422)
      expect(await page.text()).toContain(TOO_BROAD.error.message)
      // Not kept: the same searches, unhindered, answer.
      expect((await get(testApp, '/api/products?q=lamp')).status).toBe(200)
      expect((await get(testApp, '/products?q=mug')).status).toBe(200)
    })
  })

  describe('a bound for the whole search, not for each of its queries', () => {
    let testApp: TestApp
    beforeAll(async () => {
      testApp = await createTestApp({ SEARCH_TIMEOUT_MS: '1000' })
    })
    afterAll(() => testApp.close())

    it('answers 422 when its queries together outlast SEARCH_TIMEOUT_MS, each of them well within it', async () => {
      // The walk waits 600 ms for products; then the window's sort (which alone reads categories) waits 600 ms more.
      let releaseProducts!: () => void
      let releaseCategories!: () => void
      const products = holdLocked(testApp, 'products', new Promise<void>((resolve) => (releaseProducts = resolve)))
      const categories = holdLocked(testApp, 'categories', new Promise<void>((resolve) => (releaseCategories = resolve)))
      await Promise.all([products.isLocked, categories.isLocked])
      const answer = get(testApp, '/api/products?q=lamp&sort=price-asc')
      await sleep(600)
      releaseProducts()
      await products.held
      await sleep(600)
      releaseCategories()
      await categories.held
      const response = await answer
      expect(response.status).toBe(422)
      expect(await response.json()).toEqual(TOO_BROAD)
      expect((await get(testApp, '/api/products?q=lamp&sort=price-asc')).status).toBe(200)
    })
  })

  describe('the lookup of the name as typed, within the same bound', () => {
    let testApp: TestApp
    beforeAll(async () => {
      testApp = await createTestApp({ SEARCH_TIMEOUT_MS: '500' })
    })
    afterAll(() => testApp.close())

    it('answers 422 when the lookup outlasts SEARCH_TIMEOUT_MS, its window kept', async () => {
      expect((await get(testApp, '/api/products?q=lamp')).status).toBe(200) // the window of "lamp" is kept
      // "LAMP" is the same search (its kept window) but another text typed: its exact name is looked up anew.
      let release!: () => void
      const lock = holdLocked(testApp, 'products', new Promise<void>((resolve) => (release = resolve)))
      await lock.isLocked
      const answer = get(testApp, '/api/products?q=LAMP')
      await sleep(1500)
      release()
      await lock.held
      const response = await answer
      expect(response.status).toBe(422)
      expect(await response.json()).toEqual(TOO_BROAD)
      expect((await get(testApp, '/api/products?q=LAMP')).status).toBe(200)
    })
  })

  it('gives a part of a search what its other parts left of SEARCH_TIMEOUT_MS, and nothing once they spent it', async () => {
    const db = await catalogueDb()
    try {
      const budget = { searchTimeoutMs: 1000, queryTimeoutMs: 30_000, spentMs: 800 }
      const sleepHalfASecond = () => boundedSearch(db, budget, (step) => step((db) => sql`select pg_sleep(0.5)`.execute(db)))
      await expect(sleepHalfASecond()).rejects.toMatchObject({ code: 'search_too_broad' }) // 200 ms were left
      expect(budget.spentMs).toBeGreaterThanOrEqual(1000)
      let ran = false
      await expect(boundedSearch(db, budget, async () => (ran = true))).rejects.toMatchObject({ code: 'search_too_broad' })
      expect(ran).toBe(false)
    } finally {
      await db.destroy()
    }
  })

  describe("another's end of a search's query is not the search's doing", () => {
    let testApp: TestApp
    beforeAll(async () => {
      testApp = await createTestApp({ SEARCH_TIMEOUT_MS: '5000', DATABASE_QUERY_TIMEOUT_MS: '200' })
    })
    afterAll(() => testApp.close())

    it("answers 503 database_unavailable when the connection's DATABASE_QUERY_TIMEOUT_MS ends it, shorter than SEARCH_TIMEOUT_MS", async () => {
      const response = await whileProductsLocked(testApp, () => get(testApp, '/api/products?q=lamp'))
      expect(response.status).toBe(503)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('database_unavailable')
    })

    it('answers 503 database_unavailable when an operator cancels it (pg_cancel_backend)', async () => {
      const response = await whileProductsLocked(testApp, async () => {
        const answer = get(testApp, '/api/products?q=mug')
        // The search's query, waiting for the lock: cancelled as an operator would.
        for (let cancelled = false; !cancelled; await sleep(10)) {
          const { rows } = await sql<{ cancelled: boolean }>`
            select pg_cancel_backend(pid) as cancelled from pg_stat_activity
            where wait_event_type = 'Lock' and query like '%search_vector%' and pid <> pg_backend_pid()`.execute(testApp.db)
          cancelled = rows.some((row) => row.cancelled)
        }
        return answer
      })
      expect(response.status).toBe(503)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('database_unavailable')
    })
  })
})
