import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SITEMAP_PART_SIZE, xmlText } from '#shared/http'
import { seedCatalogue } from '../domains/products/seed.server.ts'
import { createTestApp } from './support/test-app.ts'

const PRODUCTS = 120_000
let testApp: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  testApp = await createTestApp({ PUBLIC_URL: 'https://shop.example' }, { prepare: (db) => seedCatalogue(db, PRODUCTS) })
}, 60_000)
afterAll(() => testApp.close())

const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((match) => match[1]!)

describe('the sitemap, with 120,000 products', () => {
  it('is an index of parts of at most 50,000 URLs each, with absolute addresses', async () => {
    const res = await testApp.app.request('/sitemap.xml')
    expect(res.headers.get('Content-Type')).toBe('application/xml; charset=utf-8')
    const xml = await res.text()
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<sitemapindex xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/)
    expect(locs(xml)).toEqual(['https://shop.example/sitemap/catalogue-1.xml', ...[1, 2, 3].map((n) => `https://shop.example/sitemap/products-${n}.xml`)])
  })

  it('lists every product once, across its parts, each with its last change', async () => {
    const seen = new Set<string>()
    for (const n of [1, 2, 3]) {
      const xml = await (await testApp.app.request(`/sitemap/products-${n}.xml`)).text()
      expect(xml).toMatch(/<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">.*<\/urlset>\n$/s)
      const urls = locs(xml)
      expect(urls.length).toBeLessThanOrEqual(SITEMAP_PART_SIZE)
      for (const url of urls) {
        expect(url).toMatch(/^https:\/\/shop\.example\/products\/[a-z0-9-]+$/)
        seen.add(url)
      }
      expect((xml.match(/<lastmod>\d{4}-\d\d-\d\dT[\d:.]+Z<\/lastmod>/g) ?? []).length).toBe(urls.length)
    }
    expect(seen.size).toBe(PRODUCTS)
  })

  it("lists the catalogue's front doors: home, all products, each category", async () => {
    const urls = locs(await (await testApp.app.request('/sitemap/catalogue-1.xml')).text())
    expect(urls.slice(0, 2)).toEqual(['https://shop.example/', 'https://shop.example/products'])
    expect(urls).toContain('https://shop.example/products?category=kitchen')
  })

  it('answers 404 for a part that does not exist', async () => {
    for (const path of ['/sitemap/products-4.xml', '/sitemap/products-0.xml', '/sitemap/nothing-1.xml']) expect((await testApp.app.request(path)).status).toBe(404)
  })

  it('is named by robots.txt', async () => {
    expect(await (await testApp.app.request('/robots.txt')).text()).toContain('Sitemap: https://shop.example/sitemap.xml\n')
  })

  it('escapes what XML reserves', () => {
    expect(xmlText(`/x?a=1&b=<"'>`)).toBe('/x?a=1&amp;b=&lt;&quot;&apos;&gt;')
  })
})
