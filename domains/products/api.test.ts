import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../tests/support/test-app.ts'
import { productPageSchema } from './schemas.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>
let admin: string
let customer: string

function call(path: string, { method = 'GET', body, cookie }: { method?: string; body?: unknown; cookie?: string } = {}) {
  const headers: Record<string, string> = { Origin: 'http://localhost' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (cookie) headers.Cookie = cookie
  return testApp.app.request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
}
const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith('tessera_session='))!
    .split(';')[0]!

beforeAll(async () => {
  testApp = await createTestApp({ ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'admin password' })
  admin = cookieOf(await call('/api/auth/login', { method: 'POST', body: { email: 'admin@example.com', password: 'admin password' } }))
  customer = cookieOf(await call('/api/auth/register', { method: 'POST', body: { email: 'shopper@example.com', name: 'S', password: 'long enough' } }))
})
afterAll(() => testApp.close())

const newProduct = { name: 'Test Lantern', description: 'Bright.', priceCents: 2500, stock: 4, category: 'outdoor' }

describe('GET /api/products', () => {
  it('answers a page of products in the documented shape', async () => {
    const res = await call('/api/products?category=audio&sort=price-desc&page=2&limit=5')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(productPageSchema.parse(body)).toMatchObject({ page: 2, total: expect.any(Number), totalExact: true, pageCount: Math.ceil(body.total / 5) })
    expect(body.links).toEqual({
      first: { page: 1 },
      previous: { before: expect.stringMatching(/^\d+_\d+$/) },
      next: { after: expect.stringMatching(/^\d+_\d+$/) },
      last: { page: 'last' },
    })
    expect(body.items).toHaveLength(5)
    expect(Object.keys(body.items[0]).sort()).toEqual([
      'category',
      'createdAt',
      'currency',
      'description',
      'id',
      'imageUrl',
      'name',
      'price',
      'priceCents',
      'slug',
      'stock',
      'updatedAt',
    ])
    expect(body.items[0].price).toMatch(/^\$\d+\.\d\d$/)
  })

  it.each([['limit=0'], ['limit=101'], ['page=0'], ['page=x'], ['sort=random'], ['category=Not%20A%20Slug']])(
    'answers %s with 400 and zod issues',
    async (query) => {
      const res = await call(`/api/products?${query}`)
      expect(res.status).toBe(400)
      const { error } = await res.json()
      expect(error.code).toBe('invalid_input')
      expect(error.issues.length).toBeGreaterThan(0)
    },
  )
})

describe('GET /api/products/:idOrSlug', () => {
  it('finds by id and by slug, 404 otherwise', async () => {
    const byId = await (await call('/api/products/1')).json()
    const bySlug = await (await call(`/api/products/${byId.slug}`)).json()
    expect(bySlug).toEqual(byId)
    expect((await call('/api/products/999999')).status).toBe(404)
    expect((await call('/api/products/no-such-thing')).status).toBe(404)
  })
})

describe('admin changes through the API', () => {
  it('refuses visitors (401) and customers (403)', async () => {
    expect((await call('/api/products', { method: 'POST', body: newProduct })).status).toBe(401)
    expect((await call('/api/products', { method: 'POST', body: newProduct, cookie: customer })).status).toBe(403)
    expect((await call('/api/products/1', { method: 'PATCH', body: { stock: 1 }, cookie: customer })).status).toBe(403)
    expect((await call('/api/products/1', { method: 'DELETE', cookie: customer })).status).toBe(403)
  })

  it('creates (201, slug from the name), and a duplicate slug answers 409', async () => {
    const res = await call('/api/products', { method: 'POST', body: newProduct, cookie: admin })
    expect(res.status).toBe(201)
    expect((await res.json()).product).toMatchObject({ slug: 'test-lantern', price: '$25.00', stock: 4 })
    const again = await call('/api/products', { method: 'POST', body: newProduct, cookie: admin })
    expect(again.status).toBe(409)
    expect((await again.json()).error.code).toBe('duplicate_slug')
  })

  it('stores a decomposed name composed, found by a search with or without its accents (both databases)', async () => {
    const body = { ...newProduct, name: 'Noe\u0308l Cafe\u0301 Card', slug: 'noel-cafe-card' }
    const res = await call('/api/products', { method: 'POST', body, cookie: admin })
    expect(res.status).toBe(201)
    expect((await res.json()).product.name).toBe('No\u00ebl Caf\u00e9 Card')
    for (const q of ['noel cafe', 'No\u00ebl', 'Noe\u0308l']) {
      const found = await (await call(`/api/products?q=${encodeURIComponent(q)}`)).json()
      expect([q, found.items.map((item: { slug: string }) => item.slug)]).toEqual([q, ['noel-cafe-card']])
    }
  })

  it.each([
    ['a price of zero', { priceCents: 0 }],
    ['a fractional price', { priceCents: 10.5 }],
    ['negative stock', { stock: -1 }],
    ['a bad slug', { slug: 'Bad Slug!' }],
    ['no name', { name: '' }],
  ])('refuses %s with 400', async (_, change) => {
    const res = await call('/api/products', { method: 'POST', body: { ...newProduct, name: 'Another', ...change }, cookie: admin })
    expect(res.status).toBe(400)
    expect((await res.json()).error.issues.length).toBeGreaterThan(0)
  })

  it('sends an old address of a product whose slug changed to its page for good (301), until it is gone', async () => {
    const { product } = await (await call('/api/products', { method: 'POST', body: { ...newProduct, name: 'Moving Lantern' }, cookie: admin })).json()
    const rename = async (slug: string) =>
      expect((await call(`/api/products/${product.id}`, { method: 'PATCH', body: { slug }, cookie: admin })).status).toBe(200)
    await rename('moved-lantern')
    await rename('moved-again-lantern')
    for (const old of ['moving-lantern', 'moved-lantern']) {
      const res = await call(`/products/${old}`)
      expect([old, res.status, res.headers.get('Location')]).toEqual([old, 301, '/products/moved-again-lantern'])
      // Kept a while, not for good: the slug may be taken again, or the product renamed back.
      expect([res.headers.get('Cache-Control'), res.headers.get('Vary')]).toEqual(['public, max-age=300', 'X-Tessera-Data'])
    }
    // The API finds it by an old slug too, with its current one.
    for (const old of ['moving-lantern', 'moved-lantern']) expect((await (await call(`/api/products/${old}`)).json()).slug).toBe('moved-again-lantern')
    // A client navigation's data request gets the target as its data line, kept by no cache.
    const data = await testApp.app.request('http://localhost/products/moved-lantern', { headers: { 'X-Tessera-Data': '1' } })
    expect([await data.text(), data.headers.get('Cache-Control'), data.headers.get('Vary')]).toEqual([
      '{"redirect":"/products/moved-again-lantern"}\n',
      'no-store',
      'X-Tessera-Data',
    ])
    // A rename of no product touches no one's old addresses.
    expect((await call('/api/products/999999', { method: 'PATCH', body: { slug: 'moved-lantern' }, cookie: admin })).status).toBe(404)
    expect((await call('/products/moved-lantern')).status).toBe(301)
    expect((await call('/products/moved-again-lantern')).status).toBe(200)
    // Another product may take an old address: it is that product's page now.
    const taker = await (await call('/api/products', { method: 'POST', body: { ...newProduct, name: 'Other', slug: 'moved-lantern' }, cookie: admin })).json()
    expect((await call('/products/moved-lantern')).status).toBe(200)
    expect(await (await call('/products/moved-lantern')).text()).toContain('Other')
    // Back to its first slug: that address is its own again, not a redirect to itself.
    await rename('moving-lantern')
    expect((await call('/products/moving-lantern')).status).toBe(200)
    expect((await call('/products/moved-again-lantern')).headers.get('Location')).toBe('/products/moving-lantern')
    // Deleted: its old addresses go with it.
    expect((await call(`/api/products/${product.id}`, { method: 'DELETE', cookie: admin })).status).toBe(204)
    expect((await call('/products/moved-again-lantern')).status).toBe(404)
    expect((await call(`/api/products/${taker.product.id}`, { method: 'DELETE', cookie: admin })).status).toBe(204)
  })

  it('answers 404 to a change of a missing product and 400 to an empty patch', async () => {
    expect((await call('/api/products/999999', { method: 'PATCH', body: { stock: 1 }, cookie: admin })).status).toBe(404)
    expect((await call('/api/products/1', { method: 'PATCH', body: {}, cookie: admin })).status).toBe(400)
    expect((await call('/api/products/abc', { method: 'DELETE', cookie: admin })).status).toBe(400)
    expect((await call('/api/products/999999', { method: 'DELETE', cookie: admin })).status).toBe(404)
  })

  it('drops the cached product page at once when the price changes', async () => {
    const product = await (await call('/api/products/2')).json()
    const page = () => call(`/products/${product.slug}`)
    await page()
    const cached = await page()
    expect(cached.headers.get('X-Cache')).toBe('HIT')
    expect(await cached.text()).toContain(product.price)

    const res = await call(`/api/products/${product.id}`, { method: 'PATCH', body: { priceCents: 777 }, cookie: admin })
    expect(res.status).toBe(200)
    const fresh = await page()
    expect(fresh.headers.get('X-Cache')).toBe('MISS')
    expect(await fresh.text()).toContain('$7.77')
  })

  it("shows a product's photo once it has one, the one link previews are given; its initial until then", async () => {
    const { product } = await (await call('/api/products', { method: 'POST', body: { ...newProduct, name: 'Pictured Jug' }, cookie: admin })).json()
    expect(await (await call(`/products/${product.slug}`)).text()).toMatch(/<div class="product-image large category-[a-z]+" aria-hidden="true">P<\/div>/)
    expect((await call(`/api/products/${product.id}`, { method: 'PATCH', body: { imageUrl: '/images/jug.png' }, cookie: admin })).status).toBe(200)
    const html = await (await call(`/products/${product.slug}`)).text()
    expect(html).toMatch(/<img class="product-image photo large category-[a-z]+" src="\/images\/jug\.png" alt="Pictured Jug"\/>/)
    expect(html).toMatch(/<meta property="og:image" content="[^"]*\/images\/jug\.png"\/>/)
  })

  it('deletes (204), and the product is gone', async () => {
    const { product } = await (await call('/api/products', { method: 'POST', body: { ...newProduct, name: 'Short Lived' }, cookie: admin })).json()
    expect((await call(`/api/products/${product.id}`, { method: 'DELETE', cookie: admin })).status).toBe(204)
    expect((await call(`/api/products/${product.id}`)).status).toBe(404)
  })
})

describe('pages', () => {
  it('lists 48 products a page, with the state in the URL', async () => {
    const html = await (await call('/products?category=kitchen&sort=price-asc&page=2')).text()
    expect(html.match(/class="product-card"/g)).toHaveLength(48)
    // Onward by position (keyset): after the last product shown, by its price and id; the last page from the end.
    const next = /href="\/products\?after=(\d+)_(\d+)&amp;category=kitchen&amp;sort=price-asc" rel="next"/.exec(html)
    expect(next, 'a Next link after the last product shown').not.toBeNull()
    expect(html).toContain('href="/products?category=kitchen&amp;page=last&amp;sort=price-asc"')
    expect(html).toMatch(/href="\/products\?before=\d+_\d+&amp;category=kitchen&amp;sort=price-asc" rel="prev"/)
    expect(html).toContain('href="/products?category=kitchen&amp;sort=price-asc">First</a>')
    // The page after it is the page the number 3 gives: the same products.
    const cards = (html: string) => html.match(/<a href="\/products\/[^"]+"/g)
    const third = await (await call(`/products?after=${next![1]}_${next![2]}&category=kitchen&sort=price-asc`)).text()
    expect(cards(third)).toEqual(cards(await (await call('/products?category=kitchen&page=3&sort=price-asc')).text()))
    expect(cards(third)!.length).toBeGreaterThan(0)
  })

  it("titles a missing product's page as every 404 page is titled", async () => {
    const res = await call('/products/no-such-thing')
    expect(res.status).toBe(404)
    expect(await res.text()).toMatch(/<title>Page not found/)
    expect(await (await call('/no/such/page')).text()).toMatch(/<title>Page not found/)
  })

  it('searches from the search form without JavaScript, which sends its blank sort as `sort=`', async () => {
    for (const path of ['/products?q=mug&sort=', '/products?category=kitchen&q=&sort=']) expect([path, (await call(path)).status]).toEqual([path, 200])
    expect(await (await call('/products?q=mug&sort=')).text()).toContain('Mug')
  })

  it('refuses a made-up position, or a page number past the numbered pages, with a 400 page (a JSON 400 from the API)', async () => {
    expect((await call('/products?after=cheap_12&sort=price-asc')).status).toBe(400)
    expect((await call('/products?page=21')).status).toBe(400)
    const res = await call('/api/products?page=21')
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatchObject({ code: 'invalid_query', issues: [{ path: ['page'] }] })
    // The parameter at fault is named; a position is after or before a product, not both.
    for (const [query, parameter] of [
      ['before=cheap_12', 'before'],
      ['after=cheap_12', 'after'],
      ['after=1_1&before=1_2', 'before'],
      // A control character is in no sort key (PostgreSQL's text would refuse the NUL with a 500).
      ['sort=name&after=%00_1', 'after'],
      ['sort=name&before=a%0A_1', 'before'],
    ]) {
      const refused = await call(`/api/products?${query}`)
      expect([query, refused.status, (await refused.json()).error.issues]).toEqual([query, 400, [expect.objectContaining({ path: [parameter] })]])
    }
  })

  it('pages a search by number only: a position from a listing is a 400, its pages past 20 are there', async () => {
    for (const [query, parameter] of [
      ['q=mug&after=1_1', 'after'],
      ['q=mug&before=1_1', 'before'],
      ['q=mug&after=1_1&before=1_1', 'after'],
    ]) {
      const refused = await call(`/api/products?${query}`)
      expect([query, refused.status, (await refused.json()).error]).toEqual([
        query,
        400,
        expect.objectContaining({ code: 'invalid_query', issues: [expect.objectContaining({ path: [parameter] })] }),
      ])
    }
    expect((await call('/products?q=mug&after=1_1')).status).toBe(400)
    // Numbered through its results: with 1 a page, page 21 is a page like page 2, and its links say where the next one is.
    const deep = await (await call('/api/products?q=a&limit=1&page=21')).json()
    expect(deep).toMatchObject({ page: 21, items: [expect.anything()], links: { previous: { page: 20 }, next: { page: 22 } } })
  })

  it('answers a page past the end of a list with a 404 page, not an empty page saying nothing matches', async () => {
    // About 100 kitchen products at 48 a page: page 3 is the last.
    expect((await call('/products?category=kitchen&page=3')).status).toBe(200)
    const pastTheEnd = ['/products?category=kitchen&page=15', '/products?q=zzzqqq&page=2', '/products?after=0_1', '/admin/products?q=zzzqqq&page=2']
    for (const path of pastTheEnd) {
      // The catalogue's as a visitor (its page cache passes a 404 through), the admin's signed in.
      const res = await call(path, path.startsWith('/admin') ? { cookie: admin } : {})
      expect([path, res.status]).toEqual([path, 404])
      expect(await res.text()).toContain('There is no such page: the list is shorter than that.')
    }
    expect((await call('/products?q=zzzqqq')).status).toBe(200) // a search that finds nothing says so on its first page
    expect((await call('/products?q=zzzqqq&page=last')).status).toBe(200)
  })

  it('answers any page number past the end as helpfully as the first one past it, and says what pages are for one that is no page', async () => {
    const pageText = async (path: string, cookie?: string) => {
      const res = await call(path, { cookie })
      return [res.status, /Page numbers go up to 20|There is no such page: the list is shorter|pages are numbered from 1/.exec(await res.text())?.[0]]
    }
    for (const [path, cookie] of [['/products'], ['/products?category=kitchen'], ['/admin/products', admin]] as [string, string?][]) {
      const join = path.includes('?') ? '&' : '?'
      expect(await pageText(`${path}${join}page=21`, cookie)).toEqual([400, 'Page numbers go up to 20'])
      for (const deep of ['99999', '10001', '99999999999999999999999'])
        expect(await pageText(`${path}${join}page=${deep}`, cookie)).toEqual([400, 'Page numbers go up to 20'])
      for (const nonsense of ['0', '-1', '2.5', 'abc', '1e3'])
        expect(await pageText(`${path}${join}page=${nonsense}`, cookie)).toEqual([400, 'pages are numbered from 1'])
    }
    // A search numbers its pages as far as its matches go: past them, at any number, the 404.
    for (const deep of ['30', '99999']) expect(await pageText(`/products?q=a&page=${deep}`)).toEqual([404, 'There is no such page: the list is shorter'])
    expect((await call('/products?q=a&page=1&page=99999')).status).toBe(400) // a repeated page names two pages, as before
  })

  it('answers 404 for a category there is not', async () => {
    for (const path of ['/products?category=nope', '/products?category=nope&q=mug']) {
      const res = await call(path)
      expect([path, res.status]).toEqual([path, 404])
      expect(await res.text()).toContain('We could not find that category.')
    }
  })

  it('offers each sort once, the view’s default as the blank choice, and says the count in a live region', async () => {
    const options = (html: string) => [...html.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((match) => [match[1], match[2]])
    expect(options(await (await call('/products')).text())).toEqual([
      ['', 'Newest'],
      ['price-asc', 'Price: low to high'],
      ['price-desc', 'Price: high to low'],
      ['name', 'Name'],
    ])
    const search = await (await call('/products?q=mug&sort=newest')).text()
    expect(options(search).map(([, label]) => label)).toEqual(['Best match', 'Newest', 'Price: low to high', 'Price: high to low', 'Name'])
    expect(search).toMatch(/<option value="newest" selected="">Newest<\/option>/)
    expect(search).toMatch(/<div role="status"><h2 class="result-count">\d+ products?<\/h2><\/div>/)
  })

  it('names the category it lists in the heading and the title', async () => {
    const html = await (await call('/products?category=kitchen')).text()
    expect(html).toMatch(/<title>Kitchen · Tessera<\/title>/)
    expect(html).toContain('<h1>Kitchen</h1>')
    expect(await (await call('/products?category=kitchen&q=mug')).text()).toContain('<h1>Results for “mug” in Kitchen</h1>')
  })

  it('answers ids past an integer column, and NULs, as it answers any bad input: never a 500 (PostgreSQL refuses both)', async () => {
    for (const id of ['2147483648', '9223372036854775807', '99999999999999999999999']) {
      const res = await call(`/api/products/${id}`)
      expect([id, res.status, (await res.json()).error.code]).toEqual([id, 400, 'invalid_input'])
    }
    expect((await call('/api/products/2147483647')).status).toBe(404) // the largest id there can be
    const plain = await (await call('/api/products?q=mug')).json()
    const withNul = await call('/api/products?q=mug%00')
    expect(withNul.status).toBe(200)
    expect((await withNul.json()).items).toEqual(plain.items) // a NUL is no part of a word
    for (const path of ['/products/%00', '/products/a%00b']) expect([path, (await call(path)).status]).toEqual([path, 404])
    expect((await call('/products?q=mug%00')).status).toBe(200)
    expect((await call('/admin/products/2147483648', { cookie: admin })).status).toBe(404) // a page reads a bad id as no such product
  })

  it('answers a malformed catalogue URL with a 400 page, not a 500', async () => {
    expect((await call('/products?page=abc')).status).toBe(400)
  })

  it('shows stock: sold out and few left', async () => {
    const sold = await (await call('/api/products', { method: 'POST', body: { ...newProduct, name: 'Gone Lantern', stock: 0 }, cookie: admin })).json()
    const few = await (await call('/api/products', { method: 'POST', body: { ...newProduct, name: 'Rare Lantern', stock: 3 }, cookie: admin })).json()
    expect(await (await call(`/products/${sold.product.slug}`)).text()).toContain('Sold out')
    expect(await (await call(`/products/${few.product.slug}`)).text()).toContain('Only <!-- -->3<!-- --> left')
  })

  it('shows a name that starts with an emoji by its whole first character, as the browser renders it (hydration)', async () => {
    const { product } = await (await call('/api/products', { method: 'POST', body: { ...newProduct, name: '😀 Smiley Mug' }, cookie: admin })).json()
    for (const path of [`/products/${product.slug}`, '/products?q=smiley']) {
      const html = await (await call(path)).text()
      expect(html).toMatch(/class="product-image[^"]*" aria-hidden="true">😀</)
      expect(html).not.toContain('\uFFFD')
    }
  })

  it('says on /admin/products how many products a search found, none included, and takes no longer search than a search is', async () => {
    const html = (await (await call('/admin/products?q=zzzqqq', { cookie: admin })).text()).replaceAll('<!-- -->', '')
    expect(html).toContain('0 products match “zzzqqq”')
    expect(html).not.toContain('<table>')
    expect(html).toMatch(/<input(?=[^>]*name="q")(?=[^>]*maxLength="100")[^>]*>/)
    const found = (await (await call('/admin/products?q=mug', { cookie: admin })).text()).replaceAll('<!-- -->', '')
    expect(found).toMatch(/\d+ products? match “mug”/)
    const last = await (await call('/admin/products?page=last', { cookie: admin })).text()
    expect(last).toContain('href="/admin/products"') // its first page: no stray '?'
    expect(last).not.toContain('href="/admin/products?"')
  })

  it("describes a product by its description cut at a word's end, never inside a character; none for an empty one", async () => {
    const description = `${'word '.repeat(31)}a😀b and more words after the cut`
    const { product } = await (
      await call('/api/products', { method: 'POST', body: { ...newProduct, name: 'Described Vase', description }, cookie: admin })
    ).json()
    const html = await (await call(`/products/${product.slug}`)).text()
    const meta = /<meta name="description" content="([^"]*)"/.exec(html)![1]!
    expect(meta).toBe(`${'word '.repeat(31)}a😀b…`) // 160 characters at most, the emoji one of them, whole
    const { product: bare } = await (
      await call('/api/products', { method: 'POST', body: { ...newProduct, name: 'Bare Vase', description: '' }, cookie: admin })
    ).json()
    const bareHtml = await (await call(`/products/${bare.slug}`)).text()
    expect(bareHtml).not.toContain('name="description"')
    expect(bareHtml).not.toContain('property="og:description"')
  })

  it('lets search engines index the numbered pages of a listing, not those a row starts (any row can: near-copies)', async () => {
    const robots = async (path: string) => /<meta name="robots" content="([^"]*)"/.exec(await (await call(path)).text())?.[1]
    expect(await robots('/products')).toBeUndefined()
    expect(await robots('/products?page=2')).toBeUndefined()
    const { links } = await (await call('/api/products?limit=24&sort=name')).json()
    expect(await robots(`/products?sort=name&after=${encodeURIComponent(links.next.after)}`)).toBe('noindex')
    expect(await robots('/products?after=9999999999999_1')).toBe('noindex')
  })

  it('titles each page of a listing apart: by its number, or deeper by the product it starts with', async () => {
    const titleOf = async (path: string) => /<title>([^<]*)<\/title>/.exec(await (await call(path)).text())?.[1]
    expect(await titleOf('/products')).toBe('All products · Tessera')
    expect(await titleOf('/products?page=2')).toBe('All products · Page 2 · Tessera')
    const { items, links } = await (await call('/api/products?limit=24&sort=name')).json()
    expect(items.length).toBe(24)
    const next = await (await call(`/api/products?limit=24&sort=name&after=${links.next.after}`)).json()
    expect(await titleOf(`/products?sort=name&after=${encodeURIComponent(links.next.after)}`)).toBe(`All products · From ${next.items[0].name} · Tessera`)
  })

  it('keeps /admin/products for admins', async () => {
    expect((await call('/admin/products')).status).toBe(302)
    expect((await call('/admin/products', { cookie: customer })).status).toBe(403)
    expect((await call('/admin/products', { cookie: admin })).status).toBe(200)
  })

  it('saves an edit form opened before sales without undoing them, and refuses one that would undo a change it did not see', async () => {
    const { product } = await (
      await call('/api/products', { method: 'POST', body: { ...newProduct, name: 'Edited Lantern', stock: 50 }, cookie: admin })
    ).json()
    const save = (fields: Record<string, string>) =>
      testApp.app.request(`http://localhost/admin/products/${product.id}`, {
        method: 'POST',
        body: new URLSearchParams({ intent: 'save', name: product.name, slug: product.slug, description: '', price: '25.00', category: 'kitchen', ...fields }),
        headers: { Origin: 'http://localhost', Cookie: admin, 'X-Tessera-Action': '1', Accept: 'application/json' },
      })
    const now = async () => (await call(`/api/products/${product.id}`)).json()
    // The form shows 50; ten sell meanwhile. Saving a new price leaves the stock as the sales left it.
    await testApp.db.updateTable('products').set({ stock: 40 }).where('id', '=', product.id).execute() // what a checkout does
    const opened = { version: product.updatedAt, stockShown: '50' }
    expect((await save({ ...opened, stock: '50', price: '26.00' })).status).toBe(200)
    const saved = await now()
    expect([saved.stock, saved.priceCents]).toEqual([40, 2600])
    // A stock typed over the 50 it showed is refused: the shop has 40, not 50, to count from.
    const stale = await save({ version: saved.updatedAt, stockShown: '50', stock: '60' })
    expect(stale.status).toBe(409)
    expect((await stale.json()).fieldErrors.stock[0]).toMatch(/^The stock is 40 now/)
    expect((await now()).stock).toBe(40)
    // Another admin's save since this form opened (its version is older): refused, nothing written.
    const other = await save({ ...opened, stock: '50', price: '99.00' })
    expect(other.status).toBe(409)
    expect((await other.json()).formError).toMatch(/^Someone saved this product since you opened it/)
    expect((await now()).priceCents).toBe(2600)
    // Without JavaScript: the page again, the refusal in the form, what was typed kept.
    const page = await testApp.app.request(`http://localhost/admin/products/${product.id}`, {
      method: 'POST',
      body: new URLSearchParams({
        intent: 'save',
        name: product.name,
        slug: product.slug,
        description: '',
        price: '98.00',
        category: 'kitchen',
        ...opened,
        stock: '50',
      }),
      headers: { Origin: 'http://localhost', Cookie: admin },
    })
    expect(page.status).toBe(409)
    const html = await page.text()
    expect(html).toContain('Someone saved this product since you opened it')
    expect(html).toContain('value="98.00"')
    // Typed over what it showed, and still true: written.
    expect((await save({ version: saved.updatedAt, stockShown: '40', stock: '45' })).status).toBe(200)
    expect((await now()).stock).toBe(45)
  })

  it('keeps a stock the admin never touched out of a save sent again after a refusal, as the page gave the form back', async () => {
    const { product } = await (
      await call('/api/products', { method: 'POST', body: { ...newProduct, name: 'Refused Lantern', stock: 17 }, cookie: admin })
    ).json()
    const path = `http://localhost/admin/products/${product.id}`
    const post = (fields: Record<string, string>) =>
      testApp.app.request(path, { method: 'POST', body: new URLSearchParams(fields), headers: { Origin: 'http://localhost', Cookie: admin } })
    const sell = (units: number) =>
      testApp.db
        .updateTable('products')
        .set((eb) => ({ stock: eb('stock', '-', units) }))
        .where('id', '=', product.id)
        .execute()
    const stock = async () => (await (await call(`/api/products/${product.id}`)).json()).stock
    // The form as the page gives it to the admin now.
    const openForm = async () => saveFormFields(await (await testApp.app.request(path, { headers: { Cookie: admin } })).text())
    const opened = await openForm()
    expect(opened.stock).toBe('17')

    // A price refused (422), two sold meanwhile, the price mended: the form as it came back keeps 15.
    await sell(2)
    const refused = await post({ ...opened, price: '12.345' })
    expect(refused.status).toBe(422)
    expect((await post({ ...saveFormFields(await refused.text()), price: '12.34' })).status).toBe(303)
    expect(await stock()).toBe(15)

    // Another admin's save in between (409 product_changed), then "save again to replace them".
    const form = await openForm()
    await sell(3)
    await call(`/api/products/${product.id}`, { method: 'PATCH', body: { name: 'Renamed Lantern' }, cookie: admin })
    const overwritten = await post({ ...form, price: '13.00' })
    expect(overwritten.status).toBe(409)
    expect((await post(saveFormFields(await overwritten.text()))).status).toBe(303)
    expect(await stock()).toBe(12)

    // A stock refused as typed (422): the stock it was filled from stays, so the mended one meets the sales since.
    const mistyped = await openForm()
    await sell(1)
    const refusedStock = await post({ ...mistyped, stock: '27x' })
    expect(refusedStock.status).toBe(422)
    const mended = saveFormFields(await refusedStock.text())
    expect(mended.stockShown).toBe('12')
    expect((await post({ ...mended, stock: '27' })).status).toBe(409) // stock_changed: told of the sale
    expect(await stock()).toBe(11)

    // A stock typed over sales it did not see (409 stock_changed, which says today's count): sent again, it is meant.
    const typed = await openForm()
    await sell(1)
    const stale = await post({ ...typed, stock: '30' })
    expect(stale.status).toBe(409)
    const told = saveFormFields(await stale.text())
    expect([told.stock, told.stockShown]).toEqual(['30', '10'])
    expect((await post(told)).status).toBe(303)
    expect(await stock()).toBe(30)
  })

  it('deletes a product from its admin page only when the box saying so is ticked', async () => {
    const { product } = await (await call('/api/products', { method: 'POST', body: { ...newProduct, name: 'Doomed Lantern' }, cookie: admin })).json()
    const remove = (fields: Record<string, string>) =>
      testApp.app.request(`http://localhost/admin/products/${product.id}`, {
        method: 'POST',
        body: new URLSearchParams({ intent: 'delete', ...fields }),
        headers: { Origin: 'http://localhost', Cookie: admin },
      })
    const unticked = await remove({})
    expect(unticked.status).toBe(422)
    expect(await unticked.text()).toContain('Tick the box to delete this product for good')
    expect((await call(`/api/products/${product.id}`)).status).toBe(200)
    const ticked = await remove({ confirm: 'on' })
    expect([ticked.status, ticked.headers.get('Location')]).toEqual([303, '/admin/products?deleted'])
    expect((await call(`/api/products/${product.id}`)).status).toBe(404)
    expect(await (await call('/admin/products?deleted', { cookie: admin })).text()).toContain('<p role="status" class="notice">Product deleted.</p>')
  })

  it('says on the page a form leads to, without JavaScript, that a product was created or saved', async () => {
    const post = (path: string, fields: Record<string, string>) =>
      testApp.app.request(`http://localhost${path}`, {
        method: 'POST',
        body: new URLSearchParams(fields),
        headers: { Origin: 'http://localhost', Cookie: admin },
      })
    const fields = { intent: 'save', name: 'Noticed Lamp', slug: '', description: '', price: '12.00', stock: '3', category: 'kitchen' }
    const created = await post('/admin/products', fields)
    expect(created.status).toBe(303)
    const page = created.headers.get('Location')!
    expect(page).toMatch(/^\/admin\/products\/\d+\?created$/)
    expect(await (await call(page, { cookie: admin })).text()).toContain('<p role="status" class="notice">Product created.</p>')
    const saved = await post(page.replace('?created', ''), { ...fields, slug: 'noticed-lamp', price: '13.00' })
    expect(saved.headers.get('Location')).toBe(page.replace('?created', '?saved'))
    expect(await (await call(saved.headers.get('Location')!, { cookie: admin })).text()).toContain('<p role="status" class="notice">Changes saved.</p>')
  })

  it('saves a product whose stock returns took past the most a form takes, the stock left as shown; a stock typed past it is refused', async () => {
    const { product } = await (await call('/api/products', { method: 'POST', body: { ...newProduct, name: 'Plentiful Jar', stock: 10 }, cookie: admin })).json()
    await testApp.db.updateTable('products').set({ stock: 1_000_002 }).where('id', '=', product.id).execute() // cancelled orders gave it back
    const fresh = await (await call(`/api/products/${product.id}`)).json()
    const save = (fields: Record<string, string>) =>
      testApp.app.request(`http://localhost/admin/products/${product.id}`, {
        method: 'POST',
        body: new URLSearchParams({
          intent: 'save',
          name: 'Plentiful Jar',
          slug: product.slug,
          description: '',
          price: '31.00',
          category: 'kitchen',
          version: fresh.updatedAt,
          stockShown: '1000002',
          ...fields,
        }),
        headers: { Origin: 'http://localhost', Cookie: admin, 'X-Tessera-Action': '1', Accept: 'application/json' },
      })
    const typed = await save({ stock: '1000003', price: '30.00' })
    expect(typed.status).toBe(422)
    expect((await typed.json()).fieldErrors.stock).toEqual(['Enter a whole number from 0 to 1000000'])
    expect((await save({ stock: '1000002' })).status).toBe(200)
    expect(await (await call(`/api/products/${product.id}`)).json()).toMatchObject({ priceCents: 3100, stock: 1_000_002 })
  })

  it('makes the slug from the name again when an edit form sends it blank (its placeholder says so); the old one still leads there', async () => {
    const { product } = await (await call('/api/products', { method: 'POST', body: { ...newProduct, name: 'Copper Trowel' }, cookie: admin })).json()
    const saved = await testApp.app.request(`http://localhost/admin/products/${product.id}`, {
      method: 'POST',
      body: new URLSearchParams({ intent: 'save', name: 'Brass Trowel Deluxe', slug: '', description: '', price: '25.00', stock: '5', category: 'kitchen' }),
      headers: { Origin: 'http://localhost', Cookie: admin, 'X-Tessera-Action': '1', Accept: 'application/json' },
    })
    expect(saved.status).toBe(200)
    expect((await (await call(`/api/products/${product.id}`)).json()).slug).toBe('brass-trowel-deluxe')
    expect((await call(`/products/${product.slug}`)).status).toBe(301)
  })

  it('refuses an admin form with a field error (no JavaScript): 422 with the input kept', async () => {
    const res = await testApp.app.request('http://localhost/admin/products', {
      method: 'POST',
      body: new URLSearchParams({ intent: 'save', name: 'Priceless', slug: '', description: '', price: '0', stock: '2', category: 'kitchen' }),
      headers: { Origin: 'http://localhost', Cookie: admin },
    })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('The price must be above zero')
    expect(html).toContain('value="Priceless"')
  })
})

/** The fields of a page's save form as a browser would post them back untouched. */
function saveFormFields(html: string): Record<string, string> {
  const form = [...html.matchAll(/<form[^>]*>([\s\S]*?)<\/form>/g)].map((match) => match[1]!).find((body) => body.includes('name="intent" value="save"'))!
  const text = (escaped: string) =>
    escaped.replace(/&(quot|#x27|lt|gt|amp);/g, (_, name: string) => ({ quot: '"', '#x27': "'", lt: '<', gt: '>', amp: '&' })[name]!)
  const fields: Record<string, string> = {}
  for (const [, attributes] of form.matchAll(/<input([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(attributes!)?.[1]
    if (name) fields[name] = text(/value="([^"]*)"/.exec(attributes!)?.[1] ?? '')
  }
  for (const [, name, body] of form.matchAll(/<textarea[^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) fields[name!] = text(body!)
  for (const [, name, options] of form.matchAll(/<select[^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    fields[name!] = text(/<option[^>]*value="([^"]*)"[^>]*selected/.exec(options!)?.[1] ?? '')
  }
  return fields
}
