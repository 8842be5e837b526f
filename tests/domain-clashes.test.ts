import { describe, expect, it } from 'vitest'
import { defineDomain, definePage, type Domain, type SitemapSource } from '#shared/domain'
import { commandsOf, loadDomains } from '../entry-server.tsx'
import { createTestApp } from './support/test-app.ts'

/**
 * A new domain may not take over what another one (or the platform) answers: merged silently, the
 * later of two pages at a path was never reached, and a job or command of the same name replaced
 * the other one's. Each clash stops the start, naming both.
 */
const page = (path: string) => definePage({ path, page: () => import('./fixtures/domains/demo/pages/stamp.page.tsx') })
const starting = async (domain: Domain) => {
  const app = await createTestApp({ METRICS: 'off' }, { extraDomains: [domain] })
  await app.close()
}

describe('a domain that claims what another already has', () => {
  it('stops the start for a page at a path another domain answers (whatever its parameters are called), or one of its addresses', async () => {
    await expect(starting(defineDomain({ name: 'feedback', routes: [page('/products/:id')] }))).rejects.toThrow(
      'Both products (/products/:slug) and feedback (/products/:id) answer the same GET address: change one of the paths',
    )
    // A literal path a parameter route of another domain matches: it went there, never here.
    await expect(starting(defineDomain({ name: 'feedback', routes: [page('/products/new')] }))).rejects.toThrow(
      'Both products (/products/:slug) and feedback (/products/new) answer the same GET address',
    )
  })

  it('stops the start for a page under a wildcard page of another domain, or a wildcard page over one', async () => {
    await expect(starting(defineDomain({ name: 'feedback', routes: [page('/products/:slug/reviews/*')] }))).resolves.toBeUndefined() // nothing of products' under it
    await expect(starting(defineDomain({ name: 'feedback', routes: [page('/products/*')] }))).rejects.toThrow(
      'Both products (/products) and feedback (/products/*) answer the same GET address',
    )
    const wild = defineDomain({ name: 'wiki', routes: [page('/wiki/:space/*')] })
    const deeper = defineDomain({ name: 'feedback', routes: [page('/wiki/:space/pages/:id')] })
    const app = createTestApp({}, { extraDomains: [wild, deeper] })
    await expect(app.then((started) => started.close())).rejects.toThrow(
      'Both wiki (/wiki/:space/*) and feedback (/wiki/:space/pages/:id) answer the same GET address',
    )
  })

  it('starts nothing of a domain whose start is refused (the dev server tries again at every request)', async () => {
    let started = 0
    const clashing = defineDomain({
      name: 'feedback',
      routes: [page('/products/:id')],
      start: async () => {
        started++
        return () => {}
      },
    })
    await expect(starting(clashing)).rejects.toThrow('answer the same GET address')
    expect(started).toBe(0)
  })

  it('stops the start for a page under /api, even where no API answers yet (its errors answered JSON)', async () => {
    for (const path of ['/api', '/api/feedback'])
      await expect(starting(defineDomain({ name: 'feedback', routes: [page(path)] }))).rejects.toThrow(
        `feedback's page ${path} is under /api, which is for APIs (JSON): move the page out of it`,
      )
  })

  it('stops the start for a page at a path the platform answers', async () => {
    // /metrics too, where it is not served now (production without METRICS_TOKEN): setting it later would stop the start.
    for (const path of ['/healthz', '/api-docs', '/sitemap.xml', '/metrics'])
      await expect(starting(defineDomain({ name: 'feedback', routes: [page(path)] }))).rejects.toThrow(
        `Both the platform or an API (${path}) and feedback (${path}) answer the same GET address`,
      )
  })

  it("lets a domain tell its own paths apart by a parameter's pattern, and a page sit beside a pattern it does not match", async () => {
    const things = [page('/things/:id{[0-9]+}'), page('/things/:slug{[a-z-]+}')]
    await expect(starting(defineDomain({ name: 'feedback', routes: things }))).resolves.toBeUndefined()
    await expect(starting(defineDomain({ name: 'feedback', routes: [page('/sitemap/about')] }))).resolves.toBeUndefined() // not a part's name
    await expect(starting(defineDomain({ name: 'feedback', routes: [page('/things/:id'), page('/things/:key')] }))).rejects.toThrow(
      'Both feedback (/things/:id) and feedback (/things/:key)',
    )
  })

  it("stops the start for a job name another domain handles (orders' notifications)", async () => {
    await expect(starting(defineDomain({ name: 'reviews', jobs: () => ({ notify: async () => {} }) }))).rejects.toThrow(
      'Both orders and reviews define the job "notify": rename one of them',
    )
  })

  it('refuses a sitemap source or a command of a name already taken', async () => {
    const catalogue: SitemapSource = { name: 'catalogue', lastKey: async () => 1, urls: async function* () {} }
    await expect(starting(defineDomain({ name: 'reviews', sitemap: [catalogue] }))).rejects.toThrow(
      'Both products and reviews define the sitemap source "catalogue"',
    )
    const domains = await loadDomains()
    for (const name of ['backup', 'seed']) {
      const reviews = defineDomain({ name: 'reviews', commands: { [name]: { usage: '', run: async () => {} } } })
      expect(() => commandsOf([...domains, reviews])).toThrow(`define the command "${name}"`)
    }
  })

  it('starts as before with a domain that claims nothing taken', async () => {
    await expect(starting(defineDomain({ name: 'feedback', routes: [page('/feedback')] }))).resolves.toBeUndefined()
  })
})
