import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { testDatabaseLocation, testDialect } from '#shared/db'
import { startBuiltServer, type ServerProcess } from './support/server-process.ts'
import { startSilentProxy, type SilentProxy } from './support/silent-proxy.ts'

/**
 * The network to PostgreSQL goes silent (`npm run test:pg` only): no error, no closed connection,
 * queries that never get an answer. Once it carries connections again, the server recovers by
 * itself: the queries stuck on the silent ones time out (DATABASE_QUERY_TIMEOUT_MS) and their
 * connections leave the pool.
 */
describe.runIf(testDialect === 'postgres')('the network to the database goes silent', () => {
  const root = inject('builtRoot')
  let proxy: SilentProxy
  let server: ServerProcess

  beforeAll(async () => {
    const database = new URL(await testDatabaseLocation())
    proxy = await startSilentProxy(database.hostname, Number(database.port))
    database.hostname = '127.0.0.1'
    database.port = String(proxy.port)
    server = await startBuiltServer(root, { DATABASE_URL: database.href, DATABASE_POOL_MAX: '2', DATABASE_QUERY_TIMEOUT_MS: '2000', PAGE_CACHE_MAX_BYTES: '0' })
  })
  afterAll(async () => {
    await server?.stop('SIGKILL')
    await proxy?.close()
  })

  it('answers 503 while it is silent and recovers without a restart', { timeout: 60_000 }, async () => {
    const products = () => fetch(`${server.url}/api/products?limit=1`)
    expect((await products()).status).toBe(200)

    proxy.silence()
    // Both connections of the pool take a query that will never be answered.
    const during = await Promise.all([products(), products(), fetch(`${server.url}/readyz`)])
    expect(during.map((res) => res.status)).toEqual([503, 503, 503])
    expect((await during[0]!.json()).error.code).toBe('database_unavailable')

    proxy.heal()
    await expect.poll(async () => (await products()).status, { timeout: 20_000, interval: 250 }).toBe(200)
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200)
    expect(server.output()).not.toMatch(/"level":"fatal"/)
  })
})
