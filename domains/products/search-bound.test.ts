import { sql } from 'kysely'
import { testDialect } from '#shared/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../tests/support/test-app.ts'

/**
 * A search's walk past SEARCH_TIMEOUT_MS on PostgreSQL (search.postgres.server.ts, bounded): the
 * shopper is asked for fewer or rarer words, as a 422 with the API's error body and as a page
 * saying so, and the connection is free again. The bound is reached here by holding a lock on
 * products (a walk waiting counts as one running), so the test does not depend on the machine's speed.
 */
describe.skipIf(testDialect !== 'postgres')('a search past its bound (PostgreSQL)', () => {
  let testApp: Awaited<ReturnType<typeof createTestApp>>
  beforeAll(async () => {
    testApp = await createTestApp({ SEARCH_TIMEOUT_MS: '100' })
  })
  afterAll(() => testApp.close())

  const get = (path: string) => testApp.app.request(`http://localhost${path}`)
  /** Runs `work` while another connection holds products locked, so no walk of them can finish. */
  const whileProductsLocked = <T>(work: () => Promise<T>) =>
    testApp.db.transaction().execute(async (trx) => {
      await sql`lock table products in access exclusive mode`.execute(trx)
      return work()
    })

  it('answers 422 search_too_broad, in the API and on the page, and the same search answers once it can', async () => {
    const [api, page] = await whileProductsLocked(() => Promise.all([get('/api/products?q=lamp'), get('/products?q=mug')]))
    expect(api.status).toBe(422)
    expect(await api.json()).toEqual({
      error: { code: 'search_too_broad', message: 'This search is too broad to answer quickly. Try fewer words, or rarer ones.' },
    })
    expect(page.status).toBe(422)
    expect(await page.text()).toContain('This search is too broad to answer quickly. Try fewer words, or rarer ones.')
    // Not kept: the same searches, unhindered, answer.
    expect((await get('/api/products?q=lamp')).status).toBe(200)
    expect((await get('/products?q=mug')).status).toBe(200)
  })
})
