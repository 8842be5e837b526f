import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from './support/test-app.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  testApp = await createTestApp({ PUBLIC_URL: 'https://shop.example' })
})
afterAll(() => testApp.close())
const get = (path: string) => testApp.app.request(path)
const headOf = async (path: string) => (await (await get(path)).text()).split('</head>')[0]!

describe('what crawlers and browsers ask every site for', () => {
  it('robots.txt allows the catalogue and disallows what the domains name, and /api', async () => {
    const res = await get('/robots.txt')
    expect(res.headers.get('Content-Type')).toMatch(/^text\/plain/)
    const lines = (await res.text()).trim().split('\n')
    expect(lines.slice(0, 2)).toEqual(['User-agent: *', 'Allow: /'])
    for (const path of ['/account', '/admin', '/api', '/cart', '/checkout', '/dashboard', '/orders']) expect(lines).toContain(`Disallow: ${path}`)
    expect(lines).not.toContain('Disallow: /products')
  })

  it('robots.txt denies everything with CRAWLERS=deny (a staging copy)', async () => {
    const staging = await createTestApp({ CRAWLERS: 'deny' })
    try {
      expect(await (await staging.app.request('/robots.txt')).text()).toBe('User-agent: *\nDisallow: /\n')
      // Nor is there a sitemap, named or not: no list of the addresses crawlers are told to leave.
      for (const path of ['/sitemap.xml', '/sitemap/catalogue-1.xml', '/sitemap/products-1.xml'])
        expect([path, (await staging.app.request(path)).status]).toEqual([path, 404])
      // A page linked from elsewhere is not indexed either, though never crawled.
      for (const path of ['/products', '/api/products?limit=1', '/robots.txt', '/no/such/page'])
        expect([path, (await staging.app.request(path)).headers.get('X-Robots-Tag')]).toEqual([path, 'noindex, nofollow'])
      expect((await get('/products')).headers.get('X-Robots-Tag')).toBeNull()
    } finally {
      await staging.close()
    }
  })

  it('serves a real /favicon.ico, the SVG icon and a web app manifest, which pages name', async () => {
    const ico = new Uint8Array(await (await get('/favicon.ico')).arrayBuffer())
    expect([...ico.slice(0, 8)]).toEqual([0, 0, 1, 0, 1, 0, 16, 16]) // an icon, one image, 16×16
    expect(ico.length).toBe(6 + 16 + 40 + 16 * 16 * 4 + 64)
    expect((await get('/favicon.svg')).headers.get('Content-Type')).toBe('image/svg+xml')
    const manifest = await (await get('/manifest.webmanifest')).json()
    expect(manifest).toMatchObject({ name: 'Tessera', start_url: '/', icons: [{ src: '/favicon.svg' }] })
    const head = await headOf('/demo')
    expect(head).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>')
    expect(head).toContain('<link rel="manifest" href="/manifest.webmanifest"/>')
  })
})

describe('revalidating a site file', () => {
  it('tags each with a strong ETag and answers a matching If-None-Match (GET or HEAD) with a bodiless 304 that keeps its caching headers', async () => {
    for (const path of ['/robots.txt', '/favicon.ico', '/favicon.svg', '/manifest.webmanifest']) {
      const got = await get(path)
      const etag = got.headers.get('ETag')
      expect([path, etag]).toEqual([path, expect.stringMatching(/^"[^"]+"$/)])
      for (const method of ['GET', 'HEAD']) {
        const again = await testApp.app.request(path, { method, headers: { 'If-None-Match': etag! } })
        expect([path, method, again.status, await again.text(), again.headers.get('ETag')]).toEqual([path, method, 304, '', etag])
        expect(again.headers.get('Cache-Control')).toBe(got.headers.get('Cache-Control'))
        expect(again.headers.get('Vary')).toBe(got.headers.get('Vary'))
      }
      const other = await testApp.app.request(path, { headers: { 'If-None-Match': '"another-version"' } })
      expect([path, other.status, (await other.arrayBuffer()).byteLength]).toEqual([path, 200, (await got.arrayBuffer()).byteLength])
    }
  })

  it('answers an If-Match naming another version 412, which no cache may keep (a CDN would hand that 412 to everyone for a day)', async () => {
    for (const path of ['/robots.txt', '/favicon.svg']) {
      const failed = await testApp.app.request(path, { headers: { 'If-Match': '"another-version"' } })
      expect([path, failed.status, failed.headers.get('Cache-Control')]).toEqual([path, 412, 'no-store'])
    }
  })
})

describe('a HEAD for a site file', () => {
  it("says what its GET would: the same status, type and Content-Length (the GET's body in bytes), no body", async () => {
    for (const path of ['/robots.txt', '/favicon.ico', '/favicon.svg', '/manifest.webmanifest']) {
      const got = await get(path)
      const bytes = (await got.arrayBuffer()).byteLength
      const head = await testApp.app.request(path, { method: 'HEAD' })
      expect([path, head.status, head.headers.get('Content-Type'), head.headers.get('Content-Length')]).toEqual([
        path,
        200,
        got.headers.get('Content-Type'),
        String(bytes),
      ])
      expect(got.headers.get('Content-Length')).toBe(String(bytes))
      expect(await head.text()).toBe('')
    }
  })
})

describe("a page's head", () => {
  it('has an absolute canonical address: its path and declared query, sorted, without page=1 or junk', async () => {
    expect(await headOf('/demo/query?tag=b&utm_source=x&q=mug&page=1')).toContain(
      '<link rel="canonical" href="https://shop.example/demo/query?q=mug&amp;tag=b"/>',
    )
    expect(await headOf('/demo/query?page=2&q=mug')).toContain('<link rel="canonical" href="https://shop.example/demo/query?page=2&amp;q=mug"/>')
    expect(await headOf('/demo?name=Ada')).toContain('<link rel="canonical" href="https://shop.example/demo"/>') // no cache rule: the path
  })

  it('has one spelling: a path with an escaped letter, digit, - or _, or a trailing slash, is a 301 to the plain one, its query kept', async () => {
    const { items } = await (await get('/api/products?limit=1')).json()
    const slug: string = items[0].slug
    const spelt = slug.replace('-', '%2D').replace(/^./, (first) => `%${first.charCodeAt(0).toString(16)}`)
    for (const [path, plain] of <[string, string][]>[
      ['/%70roducts?q=%6Dug&utm_source=x', '/products?q=%6Dug&utm_source=x'],
      ['/PRODUCTS/%5F', '/PRODUCTS/_'],
      [`/products/${spelt}`, `/products/${slug}`],
      // And without a trailing slash: `/products/` was a 404 of its own.
      ['/products/', '/products'],
      [`/products/${slug}//?utm_source=x`, `/products/${slug}?utm_source=x`],
    ]) {
      const res = await get(path)
      expect([path, res.status, res.headers.get('Location')]).toEqual([path, 301, plain])
    }
    // Never to another site: `//%65vil.example` decodes to a protocol-relative address.
    for (const path of ['//%65vil.example', '///%65vil.example', '//evil.example/%61']) {
      const res = await get(path)
      expect([path, res.status, res.headers.get('Location')]).toEqual([path, 404, null])
    }
    // Nothing to decode, or an escape that may mean something (a dot, a slash), or an API: as before.
    expect((await get('/products')).status).toBe(200)
    expect((await get('/products/a%2Fb')).status).toBe(404)
    expect((await get('/products/a%2Eb')).status).toBe(404)
    expect((await get('/api/%70roducts?limit=1')).status).toBe(200)
  })

  it('is found typed in capitals: a page path in the wrong case is a 301 to its lowercase one, its query kept', async () => {
    const { items } = await (await get('/api/products?limit=1')).json()
    const slug: string = items[0].slug
    const capitals = slug.toUpperCase()
    for (const [path, lower] of <[string, string][]>[
      ['/Products', '/products'],
      ['/PRODUCTS?Category=Kitchen&utm_source=X', '/products?Category=Kitchen&utm_source=X'],
      [`/PRODUCTS/${capitals}`, `/products/${slug}`],
      [`/Products/${slug}`, `/products/${slug}`],
      [`/products/${capitals}`, `/products/${slug}`], // the route matched: the product's own loader says where
      ['/Products/A%2Fb', '/products/a%2Fb'], // an escape as written
    ]) {
      const res = await get(path)
      expect([path, res.status, res.headers.get('Location')]).toEqual([path, 301, lower])
    }
    expect((await get(`/products/${slug}`)).status).toBe(200)
    // What no page is, lowercased or not, stays a 404 (an API, an asset, nothing at all); a POST is not moved.
    for (const path of ['/API/products', '/Api/products?limit=1', '/NoSuchPage', '/Assets/App.js', '/PRODUCTS/A/B'])
      expect([path, (await get(path)).status]).toEqual([path, 404])
    expect((await testApp.app.request('/Products', { method: 'POST' })).status).not.toBe(301)
  })

  it('has Open Graph and Twitter card tags from its title, description, canonical and image', async () => {
    const head = await headOf('/demo?name=Ada')
    expect(head).toContain('<meta property="og:title" content="Hello Ada"/>')
    expect(head).toContain('<meta property="og:description" content="A counter that proves hydration."/>')
    expect(head).toContain('<meta property="og:url" content="https://shop.example/demo"/>')
    expect(head).toContain('<meta property="og:image" content="https://shop.example/assets/demo.png"/>')
    expect(head).toContain('<meta name="twitter:card" content="summary_large_image"/>')
  })

  it('writes JSON-LD escaped like the hydration data: a </script> in it cannot end the script', async () => {
    const head = await headOf('/demo')
    const scripts = head.match(/<script type="application\/ld\+json">(.*?)<\/script>/g) ?? []
    expect(scripts).toHaveLength(1)
    const json = /<script type="application\/ld\+json">(.*?)<\/script>/.exec(scripts[0]!)![1]!
    expect(json).not.toMatch(/<\/script|<!--/i)
    expect(JSON.parse(json)).toEqual({
      '@context': 'https://schema.org',
      '@type': 'Thing',
      name: '</script><script>window.__pwned = true</script><!-- \u2028\u2029 &amp;',
    })
  })
})

describe("the catalogue's pages for search engines", () => {
  const jsonLdOf = (head: string) =>
    [...head.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/g)].map((match) => JSON.parse(match[1]!) as Record<string, unknown>)

  it('describe a product by schema.org: its price, currency and stock, and the way to it', async () => {
    const product = (await (await get('/api/products/1')).json()) as { slug: string; name: string; priceCents: number; currency: string; stock: number }
    const [data, crumbs] = jsonLdOf(await headOf(`/products/${product.slug}`))
    expect(data).toMatchObject({
      '@type': 'Product',
      name: product.name,
      sku: '1',
      url: `https://shop.example/products/${product.slug}`,
      offers: {
        '@type': 'Offer',
        url: `https://shop.example/products/${product.slug}`,
        price: (product.priceCents / 100).toFixed(2),
        priceCurrency: product.currency,
        availability: product.stock > 0 ? 'https://schema.org/InStock' : 'https://schema.org/OutOfStock',
      },
    })
    // Absolute, as everything else the head names (PUBLIC_URL).
    expect(crumbs).toMatchObject({
      '@type': 'BreadcrumbList',
      itemListElement: [
        { position: 1, name: 'Products', item: 'https://shop.example/products' },
        { position: 2, item: expect.stringMatching(/^https:\/\/shop\.example\/products\?category=[a-z-]+$/) },
        { position: 3, name: product.name },
      ],
    })
  })

  it("links a listing's previous and next pages, absolute, as its Previous and Next links go", async () => {
    const linkOf = (head: string, rel: string) => new RegExp(`<link rel="${rel}" href="([^"]+)"/>`).exec(head)?.[1]?.replaceAll('&amp;', '&')
    const first = await headOf('/products?sort=name')
    expect(linkOf(first, 'prev')).toBeUndefined()
    const next = linkOf(first, 'next')!
    expect(next).toMatch(/^https:\/\/shop\.example\/products\?after=[^&]+&sort=name$/)
    const second = await (await get(next.replace('https://shop.example', ''))).text()
    const nextLink = /<a[^>]* href="([^"]+)"[^>]*rel="next"|<a[^>]*rel="next"[^>]* href="([^"]+)"/.exec(second)
    expect(`https://shop.example${(nextLink?.[1] ?? nextLink?.[2])?.replaceAll('&amp;', '&')}`).toBe(linkOf(second.split('</head>')[0]!, 'next'))
    expect(linkOf(second.split('</head>')[0]!, 'prev')).toMatch(/^https:\/\/shop\.example\/products\?before=[^&]+&sort=name$/)
    const last = await headOf('/products?page=last&sort=name')
    expect(linkOf(last, 'next')).toBeUndefined()
    expect(linkOf(last, 'prev')).toBeDefined()
  })

  it('give each listing page one canonical address: no empty or default parameter, no position on the first page', async () => {
    const canonicalOf = async (path: string) => /<link rel="canonical" href="([^"]+)"\/>/.exec(await headOf(path))?.[1]?.replaceAll('&amp;', '&')
    for (const [path, canonical] of <[string, string][]>[
      ['/products?q=', '/products'],
      ['/products?q=&sort=', '/products'],
      ['/products?sort=newest', '/products'],
      ['/products?sort=relevance', '/products'],
      ['/products?q=mug&sort=relevance', '/products?q=mug'],
      ['/products?q=mug&sort=newest', '/products?q=mug&sort=newest'],
      ['/products?category=kitchen&sort=price-asc&utm_source=x', '/products?category=kitchen&sort=price-asc'],
      ['/products?q=mug&page=1', '/products?q=mug'],
    ]) {
      expect([path, await canonicalOf(path)]).toEqual([path, `https://shop.example${canonical}`])
    }
    // Page 2 by position, then back to page 1 by its Previous link (`before`): the first page is /products.
    const next = /<link rel="next" href="https:\/\/shop\.example([^"]+)"\/>/.exec(await headOf('/products'))![1]!.replaceAll('&amp;', '&')
    expect(await canonicalOf(next)).toBe(`https://shop.example${next}`)
    expect((await get(`${next}&page=2`)).status).toBe(400) // a position and a number name two pages: refused, not one read
    expect(await canonicalOf(next.replace('after=', 'after=0').replace('_', '_0'))).toBe(`https://shop.example${next}`) // one spelling of a cursor
    const previous = /<link rel="prev" href="https:\/\/shop\.example([^"]+)"\/>/.exec(await headOf(next))![1]!.replaceAll('&amp;', '&')
    expect(previous).toMatch(/^\/products\?before=/)
    expect(await canonicalOf(previous)).toBe('https://shop.example/products')
    expect(await canonicalOf('/products?page=last')).toBe('https://shop.example/products?page=last')
  })

  it('describe themselves, the forms too (what a search result would show)', async () => {
    for (const path of ['/', '/products', '/login', '/register']) expect(await headOf(path)).toMatch(/<meta name="description" content="[^"]{10,}"\/>/)
  })

  it('keep search results out of the index, not the catalogue', async () => {
    expect(await headOf('/products?q=mug')).toContain('<meta name="robots" content="noindex"/>')
    expect(await headOf('/logout')).toContain('<meta name="robots" content="noindex"/>')
    for (const path of ['/login', '/register']) expect([path, await headOf(path)]).toEqual([path, expect.not.stringContaining('noindex')])
    expect(await headOf('/products')).not.toContain('noindex')
    expect(await headOf('/products?category=kitchen')).not.toContain('noindex')
  })
})
