import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '#shared/db'
import { defineDomain, type SitemapSource } from '#shared/domain'
import { Hono } from 'hono'
import { loadConfig } from '#shared/config'
import { SITEMAP_PART_SIZE, siteFiles, sitemapListsAny, sitemapRoutes, xmlText, type AppEnv } from '#shared/http'
import { seedCatalogue } from '../domains/products/seed.server.ts'
import { productSitemap } from '../domains/products/sitemap.server.ts'
import { createTestApp } from './support/test-app.ts'
import { logIn } from './support/sessions.ts'

const PRODUCTS = 120_000
/** Its products' parts: 1 to 12. */
const PARTS = Array.from({ length: Math.ceil(PRODUCTS / SITEMAP_PART_SIZE) }, (_, i) => i + 1)
let testApp: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  const prepare = async (db: Db) => {
    await seedCatalogue(db, PRODUCTS)
    await db.insertInto('categories').values({ slug: 'empty-shelf', name: 'Empty shelf' }).execute() // no product in it
  }
  testApp = await createTestApp({ PUBLIC_URL: 'https://shop.example' }, { prepare })
}, 60_000)
afterAll(() => testApp.close())

const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((match) => match[1]!)

describe('the sitemap, with 120,000 products', () => {
  it('is an index of parts of at most 10,000 URLs each, with absolute addresses', async () => {
    const res = await testApp.app.request('/sitemap.xml')
    expect(res.headers.get('Content-Type')).toBe('application/xml; charset=utf-8')
    const xml = await res.text()
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<sitemapindex xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/)
    // The products domain's parts (a domain added later lists its own beside them).
    const parts = ['https://shop.example/sitemap/catalogue-1.xml', ...PARTS.map((n) => `https://shop.example/sitemap/products-${n}.xml`)]
    expect(locs(xml)).toEqual(expect.arrayContaining(parts))
    expect(locs(xml).filter((loc) => /\/sitemap\/(catalogue|products)-/.test(loc))).toEqual(parts)
  })

  it('lists every product once, across its parts, each with its last change', async () => {
    const seen = new Set<string>()
    for (const n of PARTS) {
      const xml = await (await testApp.app.request(`/sitemap/products-${n}.xml`)).text()
      expect(xml).toMatch(/<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">.*<\/urlset>\n$/s)
      const urls = locs(xml)
      expect(urls.length).toBeLessThanOrEqual(SITEMAP_PART_SIZE)
      // One assertion for the part, not one per URL (120,000 expect() calls took most of the test).
      expect(urls.filter((url) => !/^https:\/\/shop\.example\/products\/[a-z0-9-]+$/.test(url))).toEqual([])
      for (const url of urls) seen.add(url)
      expect((xml.match(/<lastmod>\d{4}-\d\d-\d\dT[\d:.]+Z<\/lastmod>/g) ?? []).length).toBe(urls.length)
    }
    expect(seen.size).toBe(PRODUCTS)
  }, 30_000)

  it("lists the catalogue's front doors: home, all products, each category with a product (an empty one says noindex)", async () => {
    const urls = locs(await (await testApp.app.request('/sitemap/catalogue-1.xml')).text())
    expect(urls.slice(0, 2)).toEqual(['https://shop.example/', 'https://shop.example/products'])
    expect(urls).toContain('https://shop.example/products?category=kitchen')
    expect(urls).not.toContain('https://shop.example/products?category=empty-shelf')
    const empty = await (await testApp.app.request('/products?category=empty-shelf')).text()
    expect(empty).toContain('<meta name="robots" content="noindex"/>')
  })

  it('answers 404 for a part that does not exist', async () => {
    for (const path of [`/sitemap/products-${PARTS.length + 1}.xml`, '/sitemap/products-0.xml', '/sitemap/nothing-1.xml'])
      expect((await testApp.app.request(path)).status).toBe(404)
  })

  it('is named by robots.txt', async () => {
    expect(await (await testApp.app.request('/robots.txt')).text()).toContain('Sitemap: https://shop.example/sitemap.xml\n')
  })

  it('keeps a part in the page cache when it is small, and streams one over a 64th of the cache uncached', async () => {
    const again = async (path: string) => {
      const res = await testApp.app.request(path)
      expect((await res.text()).endsWith('</urlset>\n')).toBe(true) // whole, streamed or not
      return res.headers.get('X-Cache')
    }
    expect(await again('/sitemap/catalogue-1.xml')).toBe('HIT') // a dozen URLs: read by a test above
    expect(await again('/sitemap/products-1.xml')).toBe('MISS') // 10,000 URLs, ~1.2 MB: over 1 MiB of 64
    expect(await again('/sitemap/products-1.xml')).toBe('MISS')
  })

  it('holds no database connection while a client reads a part slowly (or never): other requests go on', async () => {
    // products-1 streams uncached (see above). Its first chunk read, the rest left waiting; /readyz asks the database:
    const part = await testApp.app.request('/sitemap/products-1.xml')
    const reader = part.body!.getReader()
    expect((await reader.read()).done).toBe(false)
    const waited = await Promise.race([
      Promise.resolve(testApp.app.request('/readyz')).then((res) => res.status),
      new Promise((resolve) => setTimeout(() => resolve('still waiting after 2 s'), 2000)),
    ])
    expect(waited).toBe(200)
    await reader.cancel()
  })

  it('escapes what XML reserves', () => {
    expect(xmlText(`/x?a=1&b=<"'>`)).toBe('/x?a=1&amp;b=&lt;&quot;&apos;&gt;')
  })
})

describe('the sitemap in the page cache', () => {
  const admin = { ADMIN_EMAIL: 'sitemap-admin@example.com', ADMIN_PASSWORD: 'sitemap admin password' }
  let shop: Awaited<ReturnType<typeof createTestApp>>
  let cookie = ''
  const get = (path: string) => shop.app.request(`http://localhost${path}`, cookie ? { headers: { cookie } } : {})
  beforeAll(async () => {
    shop = await createTestApp({ PUBLIC_URL: 'https://shop.example', ...admin })
    cookie = await logIn('https://shop.example', { email: admin.ADMIN_EMAIL, password: admin.ADMIN_PASSWORD }, { send: shop.app.request })
  })
  afterAll(() => shop.close())

  it("shows an admin's product change at once, the index and the part dropped with the pages' tag", async () => {
    for (const path of ['/sitemap.xml', '/sitemap/products-1.xml']) {
      expect((await get(path)).headers.get('X-Cache')).toBe('MISS')
      expect((await get(path)).headers.get('X-Cache')).toBe('HIT') // a session changes nothing: the same for everyone
    }
    const before = await (await get('/sitemap/products-1.xml')).text()
    expect(before).toContain('https://shop.example/products/')
    const renamed = await shop.app.request('http://localhost/api/products/1', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', cookie },
      body: JSON.stringify({ slug: 'a-renamed-product' }),
    })
    expect(renamed.status).toBe(200)
    const after = await get('/sitemap/products-1.xml')
    expect(after.headers.get('X-Cache')).toBe('MISS')
    const xml = await after.text()
    expect(xml).toMatch(/<url><loc>https:\/\/shop\.example\/products\/a-renamed-product<\/loc><lastmod>[^<]+<\/lastmod><\/url>/)
    expect(xml).not.toBe(before)
    expect((await get('/sitemap.xml')).headers.get('X-Cache')).toBe('MISS')
    const created = await shop.app.request('http://localhost/api/products', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', cookie },
      body: JSON.stringify({ name: 'Sitemap Lamp', description: 'A lamp to be found by.', priceCents: 2500, stock: 3, category: 'kitchen' }),
    })
    expect(created.status).toBe(201)
    expect(await (await get('/sitemap/products-1.xml')).text()).toContain('https://shop.example/products/sitemap-lamp</loc>')
  })

  it('without PUBLIC_URL, keeps the answer of a forged Host to that Host: the next visitor gets their own origin', async () => {
    const bare = await createTestApp()
    try {
      for (const path of ['/sitemap.xml', '/sitemap/products-1.xml']) {
        const forged = await bare.app.request(`http://evil.example${path}`)
        expect([forged.headers.get('X-Cache'), (await forged.text()).includes('<loc>http://evil.example/')]).toEqual(['MISS', true])
        const honest = await bare.app.request(`http://localhost${path}`)
        const xml = await honest.text()
        expect(honest.headers.get('X-Cache')).toBe('MISS')
        expect(xml).toContain('<loc>http://localhost/')
        expect(xml).not.toContain('evil.example')
      }
    } finally {
      await bare.close()
    }
  })
})

describe('a sitemap part with no URL (sitemaps.org refuses a <urlset> without a <url>)', () => {
  it('is neither listed by the index nor served: a range emptied by deletions, a source with nothing', async () => {
    // Products 1 to 10,000 deleted: their part's range holds none, the next part's five.
    const prepare = async (db: Db) => {
      await seedCatalogue(db, SITEMAP_PART_SIZE + 5)
      await db.deleteFrom('products').where('id', '<=', SITEMAP_PART_SIZE).execute()
    }
    // A domain whose sources give nothing: one with no keys, one a small part left empty (no `hasUrls`: its first URL is read).
    const nothing = defineDomain({
      name: 'nothing',
      sitemap: [
        { name: 'no-keys', lastKey: async () => 0, urls: async function* () {} },
        { name: 'no-urls', lastKey: async () => 1, urls: async function* () {} },
      ],
    })
    const shop = await createTestApp({ PUBLIC_URL: 'https://shop.example' }, { prepare, extraDomains: [nothing] })
    try {
      const index = await (await shop.app.request('/sitemap.xml')).text()
      expect(locs(index)).toEqual(['https://shop.example/sitemap/catalogue-1.xml', 'https://shop.example/sitemap/products-2.xml'])
      for (const path of ['/sitemap/products-1.xml', '/sitemap/no-keys-1.xml', '/sitemap/no-urls-1.xml'])
        expect([path, (await shop.app.request(path)).status]).toEqual([path, 404])
      const part = await (await shop.app.request('/sitemap/products-2.xml')).text()
      expect(locs(part)).toHaveLength(5)
      // An index listing nothing is no index either (a <sitemapindex> needs a <sitemap>).
      const config = loadConfig({ NODE_ENV: 'test' })
      const bare = new Hono<AppEnv>()
        .use((c, next) => {
          c.set('config', config)
          c.set('db', shop.db)
          return next()
        })
        .route('/', sitemapRoutes(nothing.sitemap))
        .route('/', siteFiles({ noCrawl: [], crawlers: 'allow', name: 'Bare', sitemap: (c) => sitemapListsAny(c.var.db, nothing.sitemap) }))
      expect((await bare.request('/sitemap.xml')).status).toBe(404)
      // …and robots.txt does not send crawlers to it (it named it while any source was declared).
      expect(await (await bare.request('/robots.txt')).text()).toBe('User-agent: *\nAllow: /\n')
      // The same sources beside a catalogue that lists something: named.
      const listsAny = (sources: SitemapSource[]) => sitemapListsAny(shop.db, sources)
      expect([await listsAny(nothing.sitemap), await listsAny([...nothing.sitemap, ...productSitemap])]).toEqual([false, true])
    } finally {
      await shop.close()
    }
  })
})
