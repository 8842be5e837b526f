import { createHash } from 'node:crypto'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from './support/test-app.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>
const request = (path: string, init?: RequestInit) => testApp.app.request(`http://localhost${path}`, init)
const addNote = (body: string) =>
  request('/api/demo/notes', { method: 'POST', body: JSON.stringify({ body }), headers: { 'Content-Type': 'application/json' } })

beforeAll(async () => {
  testApp = await createTestApp()
})
afterAll(() => testApp.close())

describe('with PAGE_CACHE_MAX_BYTES=0', () => {
  it('renders every request and says nothing about a cache', async () => {
    const uncached = await createTestApp({ PAGE_CACHE_MAX_BYTES: '0' })
    try {
      for (let i = 0; i < 2; i++) {
        const res = await uncached.app.request('http://localhost/demo/notes')
        expect(res.status).toBe(200)
        expect(res.headers.get('X-Cache')).toBeNull()
      }
    } finally {
      await uncached.close()
    }
  })
})

/** A body as the browser reads it, gzipped or not. */
const bodyOf = async (res: Response) => {
  const bytes = Buffer.from(await res.clone().arrayBuffer())
  return (res.headers.get('Content-Encoding') === 'gzip' ? gunzipSync(bytes) : bytes).toString()
}

/**
 * /demo/stamp (gzipped) once the render of its loader's `load`th run, or a later one, is stored,
 * and which run that page shows. A refresh is stored a moment after its loader ran (a while on a
 * busy machine); until then the page before it is served, and no other refresh starts. The answer
 * that shows it, served stale, starts the next refresh unless one is already under way.
 */
async function storedStamp(load: number): Promise<{ res: Response; shows: number }> {
  for (const until = Date.now() + 10_000; ; await new Promise((resolve) => setTimeout(resolve, 10))) {
    const res = await request('/demo/stamp', { headers: { 'Accept-Encoding': 'gzip' } })
    const body = await bodyOf(res)
    const shows = Number(/Rendered by load number <!-- -->(\d+)</.exec(body)?.[1])
    if (shows >= load) return { res, shows }
    if (Date.now() > until) throw new Error(`the render of load ${load} was not stored within 10 s:\n${body}`)
  }
}

describe('the page cache', () => {
  it('renders once (MISS), then serves from memory (HIT) with headers a CDN honours', async () => {
    const first = await request('/demo/notes')
    expect(first.headers.get('X-Cache')).toBe('MISS')
    const second = await request('/demo/notes')
    expect(second.headers.get('X-Cache')).toBe('HIT')
    // Browsers revalidate every time (a stale copy of theirs would show a signed-out header after a log-in); CDNs may serve stale.
    expect(second.headers.get('Cache-Control')).toBe('public, max-age=0, s-maxage=60')
    expect(second.headers.get('CDN-Cache-Control')).toBe('max-age=60, stale-while-revalidate=600')
    expect(await second.text()).toBe(await first.text())
  })

  it('keeps a gzipped copy: a hit for a client that takes gzip sends it, byte for byte the page, compressed once', async () => {
    const plain = await (await request('/demo/notes')).text()
    const hit = await request('/demo/notes', { headers: { 'Accept-Encoding': 'gzip, br' } })
    expect(hit.headers.get('X-Cache')).toBe('HIT')
    expect(hit.headers.get('Content-Encoding')).toBe('gzip')
    expect(hit.headers.get('Vary')).toBe('X-Tessera-Data, Accept-Encoding')
    const bytes = Buffer.from(await hit.arrayBuffer())
    expect(Number(hit.headers.get('Content-Length'))).toBe(bytes.byteLength)
    expect(gunzipSync(bytes).toString()).toBe(plain)
    // The same bytes each time, and none for a client without gzip.
    const again = Buffer.from(await (await request('/demo/notes', { headers: { 'Accept-Encoding': 'gzip' } })).arrayBuffer())
    expect(again.equals(bytes)).toBe(true)
    const plainHit = await request('/demo/notes', { headers: { 'Accept-Encoding': 'identity' } })
    expect(plainHit.headers.get('Content-Encoding')).toBeNull()
    expect(plainHit.headers.get('Vary')).toBe('X-Tessera-Data, Accept-Encoding') // every variant says what it varies by, once
  })

  it('allows the inline scripts of a cached page by hash, so every hit sends the same bytes', async () => {
    await request('/demo/notes')
    const hit = await request('/demo/notes')
    const policy = hit.headers.get('Content-Security-Policy')!
    const html = await hit.text()
    expect(html).not.toContain('nonce=')
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]!)
    expect(inline.length).toBeGreaterThan(0)
    const scriptSrc = /script-src ([^;]+)/.exec(policy)![1]!
    const allowed = [...scriptSrc.matchAll(/'sha256-([^']+)'/g)].map((match) => match[1])
    expect(allowed).toEqual(inline.map((script) => createHash('sha256').update(script).digest('base64')))
    expect(await (await request('/demo/notes')).text()).toBe(html)
  })

  it('keeps a page per origin without PUBLIC_URL: the absolute links a forged Host put in reach no one else', async () => {
    const page = '/demo/query?q=forged-host'
    const forged = await testApp.app.request(`http://evil.example${page}`)
    expect([forged.headers.get('X-Cache'), await forged.text()]).toEqual(['MISS', expect.stringContaining('href="http://evil.example/demo/query')])
    const honest = await request(page)
    const html = await honest.text()
    expect(honest.headers.get('X-Cache')).toBe('MISS')
    expect(html).toContain('<link rel="canonical" href="http://localhost/demo/query?q=forged-host"/>')
    expect(html).not.toContain('evil.example')
    expect((await testApp.app.request(`http://evil.example${page}`)).headers.get('X-Cache')).toBe('HIT') // its own entry
  })

  it('caches navigation data apart from HTML', async () => {
    const data = await request('/demo/notes', { headers: { 'X-Tessera-Data': '1' } })
    expect(data.headers.get('Content-Type')).toMatch(/ndjson/)
    const again = await request('/demo/notes', { headers: { 'X-Tessera-Data': '1' } })
    expect(again.headers.get('X-Cache')).toBe('HIT')
    expect(again.headers.get('Content-Type')).toMatch(/ndjson/)
  })

  it('drops tagged pages when an API calls revalidateTag', async () => {
    await request('/demo/notes')
    expect((await request('/demo/notes')).headers.get('X-Cache')).toBe('HIT')
    expect((await addNote('fresh from the API')).status).toBe(201)
    const after = await request('/demo/notes')
    expect(after.headers.get('X-Cache')).toBe('MISS')
    expect(await after.text()).toContain('<li>fresh from the API</li>')
  })

  it('drops every query variant of a path when an API calls revalidatePath', async () => {
    await request('/demo/query?q=a')
    await request('/demo/query?q=b')
    expect((await request('/demo/query?q=a')).headers.get('X-Cache')).toBe('HIT')
    const res = await request('/api/demo/revalidate', {
      method: 'POST',
      body: JSON.stringify({ path: '/demo/query' }),
      headers: { 'Content-Type': 'application/json' },
    })
    expect(res.status).toBe(204)
    expect((await request('/demo/query?q=a')).headers.get('X-Cache')).toBe('MISS')
    expect((await request('/demo/query?q=b')).headers.get('X-Cache')).toBe('MISS')
  })

  it('never shares a page with a visitor who has a session', async () => {
    const personal = await request('/demo/notes', { headers: { Cookie: 'tessera_session=abc' } })
    expect(personal.headers.get('X-Cache')).toBe('BYPASS')
    expect(personal.headers.get('Cache-Control')).toBe('private, no-store')
  })

  it('passes errors and redirects through without caching them', async () => {
    expect((await request('/demo/notes?missing')).status).toBe(404)
    const again = await request('/demo/notes?missing')
    expect(again.status).toBe(404)
    expect(again.headers.get('X-Cache')).toBeNull()
  })

  it('serves a stale page at once and regenerates it exactly once under concurrent requests', async () => {
    const loads = async () => (await (await request('/api/demo/stats')).json()).stampLoads as number
    const before = await loads()
    expect((await request('/demo/stamp')).headers.get('X-Cache')).toBe('MISS')
    expect(await loads()).toBe(before + 1)
    const burst = await Promise.all(Array.from({ length: 20 }, () => request('/demo/stamp')))
    expect(burst.map((res) => res.headers.get('X-Cache'))).toEqual(Array(20).fill('STALE'))
    await expect.poll(loads).toBe(before + 2)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await loads()).toBe(before + 2) // one regeneration, not twenty
    expect(await bodyOf((await storedStamp(before + 2)).res)).toContain(`Rendered by load number <!-- -->${before + 2}<`)
  })

  it('keeps the headers of a page refreshed in the background as they were: Vary names each header once', async () => {
    const loads = async () => (await (await request('/api/demo/stats')).json()).stampLoads as number
    await request('/demo/stamp')
    // maxAge 0: each request is served stale and refreshed once in the background, rendered with
    // the stale answer in its context: each turn is served a page a refresh of the turn before stored.
    for (let refresh = 0; refresh < 3; refresh++) {
      const { res: stale, shows } = await storedStamp(await loads())
      expect(stale.headers.get('X-Cache')).toBe('STALE')
      expect(stale.headers.get('Vary')).toBe('X-Tessera-Data, Accept-Encoding')
      // The refresh after the page shown: started by this answer, or under way already.
      await expect.poll(loads, { timeout: 10_000 }).toBe(shows + 1)
    }
  })
})

describe('ETags of cached pages', () => {
  it('tags each variant of a cached page strongly, and answers a matching If-None-Match with 304 and no body', async () => {
    await request('/demo/notes')
    for (const acceptEncoding of ['identity', 'gzip']) {
      const headers = { 'Accept-Encoding': acceptEncoding }
      const hit = await request('/demo/notes', { headers })
      const tag = hit.headers.get('ETag')
      expect(tag).toMatch(/^"[\w-]+"$/) // strong: the same bytes at every hit
      const again = await request('/demo/notes', { headers: { ...headers, 'If-None-Match': `"other", ${tag}` } })
      expect([again.status, await again.text()]).toEqual([304, ''])
      expect([again.headers.get('ETag'), again.headers.get('Cache-Control'), again.headers.get('Vary')]).toEqual([
        tag,
        hit.headers.get('Cache-Control'),
        hit.headers.get('Vary'),
      ])
      // A weak copy of the tag matches too (If-None-Match compares weakly); another tag is a 200.
      expect((await request('/demo/notes', { headers: { ...headers, 'If-None-Match': `W/${tag}` } })).status).toBe(304)
      expect((await request('/demo/notes', { headers: { ...headers, 'If-None-Match': '"other"' } })).status).toBe(200)
    }
    // Other bytes, another tag: a gzipped copy is not the plain one.
    const plain = (await request('/demo/notes', { headers: { 'Accept-Encoding': 'identity' } })).headers.get('ETag')
    const gzipped = (await request('/demo/notes', { headers: { 'Accept-Encoding': 'gzip' } })).headers.get('ETag')
    expect(gzipped).not.toBe(plain)
    expect((await request('/demo/notes', { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': plain! } })).status).toBe(200)
  })

  it('answers an If-Match naming another version 412 (no body, nothing for a CDN to keep), and one naming this one, or *, with the page', async () => {
    await request('/demo/notes')
    const tag = (await request('/demo/notes', { headers: { 'Accept-Encoding': 'identity' } })).headers.get('ETag')!
    for (const method of ['GET', 'HEAD']) {
      const changed = await request('/demo/notes', { method, headers: { 'Accept-Encoding': 'identity', 'If-Match': '"an-older-version"' } })
      expect([method, changed.status, changed.headers.get('Cache-Control'), await changed.text()]).toEqual([method, 412, null, ''])
      // A weak tag never matches If-Match (strong comparison, RFC 9110 §13.1.1).
      expect((await request('/demo/notes', { method, headers: { 'Accept-Encoding': 'identity', 'If-Match': `W/${tag}` } })).status).toBe(412)
      for (const ifMatch of [tag, `"other", ${tag}`, '*'])
        expect([ifMatch, (await request('/demo/notes', { method, headers: { 'Accept-Encoding': 'identity', 'If-Match': ifMatch } })).status]).toEqual([
          ifMatch,
          200,
        ])
    }
    // If-Match first (§13.2.2): a failed one is a 412 even beside a matching If-None-Match.
    const both = await request('/demo/notes', { headers: { 'Accept-Encoding': 'identity', 'If-Match': '"old"', 'If-None-Match': tag } })
    expect(both.status).toBe(412)
    // A page has no Last-Modified: date conditions are ignored, not read against the page.
    const dated = await request('/demo/notes', {
      headers: { 'If-Unmodified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT', 'If-Modified-Since': 'Fri, 31 Dec 2100 00:00:00 GMT' },
    })
    expect(dated.status).toBe(200)
  })

  it('changes the tag when the page changes', async () => {
    await request('/demo/notes')
    const before = (await request('/demo/notes')).headers.get('ETag')
    expect((await addNote('a note that changes the tag')).status).toBe(201)
    const after = await request('/demo/notes', { headers: { 'If-None-Match': before! } })
    expect(after.status).toBe(200)
    expect(after.headers.get('ETag')).not.toBe(before)
  })

  it("tags nothing that is not the cache's: a visitor's own page, a streamed page", async () => {
    await request('/demo/notes')
    const shared = (await request('/demo/notes')).headers.get('ETag')!
    const personal = await request('/demo/notes', { headers: { Cookie: 'tessera_session=abc', 'If-None-Match': shared } })
    expect([personal.status, personal.headers.get('X-Cache'), personal.headers.get('ETag')]).toEqual([200, 'BYPASS', null])
    const streamed = await request('/demo/slow?ms=50', { headers: { 'If-None-Match': '*' } })
    expect([streamed.status, streamed.headers.get('ETag')]).toEqual([200, null])
    expect(await streamed.text()).toContain('The slow part has arrived.')
  })
})

describe('what the page cache will not keep', () => {
  it("a HEAD's answer (no body): the next GET renders the page whole", async () => {
    const fresh = await createTestApp()
    try {
      const head = await fresh.app.request('http://localhost/demo/flaky', { method: 'HEAD' })
      expect(head.status).toBe(200)
      const get = await fresh.app.request('http://localhost/demo/flaky')
      expect(get.headers.get('X-Cache')).toBe('MISS')
      expect(await get.text()).toContain('The slow part has arrived.')
      expect((await fresh.app.request('http://localhost/demo/flaky')).headers.get('X-Cache')).toBe('HIT')
    } finally {
      await fresh.close()
    }
  })

  it('a page whose deferred part failed: served, not stored', async () => {
    const first = await request('/demo/flaky?fail')
    expect(first.status).toBe(200)
    expect(await first.text()).toContain('could not be loaded')
    expect((await request('/demo/flaky?fail')).headers.get('X-Cache')).toBe('MISS')
    // The healthy variant is stored as usual.
    await request('/demo/flaky')
    expect((await request('/demo/flaky')).headers.get('X-Cache')).toBe('HIT')
  })
})

describe('query parameters: a cached page declares those it reads', () => {
  const seen = async (res: Response) => JSON.parse(/<pre data-testid="seen">([^<]*)<\/pre>/.exec(await res.text())![1]!.replaceAll('&quot;', '"'))

  it('keys the page by its declared parameters only, sorted: junk ones share its entry', async () => {
    expect((await request('/demo/query?tag=t&q=1')).headers.get('X-Cache')).toBe('MISS')
    for (const url of ['/demo/query?q=1&tag=t', '/demo/query?utm_source=a&q=1&tag=t', '/demo/query?tag=t&fbclid=b&q=1&utm_source=c']) {
      expect((await request(url)).headers.get('X-Cache'), url).toBe('HIT')
    }
    expect((await request('/demo/query?q=2&tag=t')).headers.get('X-Cache')).toBe('MISS') // a declared one still counts
  })

  it('gives the loader only the declared parameters, so a junk one cannot change what is stored', async () => {
    const res = await request('/demo/query?utm_source=evil&q=x&zz=1&tag=a&tag=b')
    expect(res.headers.get('X-Cache')).toBe('MISS')
    const html = await res.clone().text()
    expect(await seen(res)).toEqual([
      ['q', 'x'],
      ['tag', 'a'],
      ['tag', 'b'],
    ])
    // Nor does the page's own address (the client router's, forms' default target) carry it.
    expect(html).not.toContain('utm_source')
    expect(html).not.toContain('zz=')
  })

  it('is the same page for a visitor with a session (not cached) and with the cache off', async () => {
    const personal = await request('/demo/query?utm_source=x&q=y', { headers: { Cookie: 'tessera_session=abc' } })
    expect(personal.headers.get('X-Cache')).toBe('BYPASS')
    expect(await seen(personal)).toEqual([['q', 'y']])
    const uncached = await createTestApp({ PAGE_CACHE_MAX_BYTES: '0' })
    try {
      expect(await seen(await uncached.app.request('http://localhost/demo/query?utm_source=x&q=y'))).toEqual([['q', 'y']])
    } finally {
      await uncached.close()
    }
  })

  it('keeps repeated values in order and empty values, as the loader reads them', async () => {
    expect(await seen(await request('/demo/query?tag=b&q=&tag=a'))).toEqual([
      ['q', ''],
      ['tag', 'b'],
      ['tag', 'a'],
    ])
    expect((await request('/demo/query?q=&tag=b&tag=a')).headers.get('X-Cache')).toBe('HIT')
    expect((await request('/demo/query?q=&tag=a&tag=b')).headers.get('X-Cache')).toBe('MISS') // another order of values: another page
  })

  it('serves a page that declares none the same for every query', async () => {
    await request('/demo/stamp')
    const state = (await request('/demo/stamp?utm_source=x&page=9')).headers.get('X-Cache')
    expect(state).toBe('STALE') // maxAge 0: the one entry, served stale
  })
})

describe('a visitor cycling through endless addresses', () => {
  it("cannot flush the cache: cursors, searches and other spellings share a quarter of it, the catalogue's pages stay", async () => {
    const shop = await createTestApp({ PAGE_CACHE_MAX_BYTES: String(2 * 1024 * 1024) }) // a listing page is ~25 KB
    try {
      const get = (path: string) => shop.app.request(`http://localhost${path}`)
      const { items } = await (await get('/api/products?limit=1')).json()
      const hot = ['/', '/products', '/products?category=kitchen', '/products?page=2', `/products/${items[0].slug}`]
      for (const path of hot) expect([path, (await get(path)).headers.get('X-Cache')]).toEqual([path, 'MISS'])
      // Every one a real page (200), each new to the cache: 4 MB of them, twice the cache.
      const endless = [
        ...Array.from({ length: 120 }, (_, i) => `/products?after=9999999999999_${i + 1}`),
        ...Array.from({ length: 20 }, (_, i) => `/products?q=mug${i}`),
        ...Array.from({ length: 15 }, (_, i) => `/products?page=${'0'.repeat(i + 1)}2`), // up to 16 digits,
      ]
      for (const path of endless) expect([path, (await get(path)).status]).toEqual([path, 200])
      for (const path of hot) expect([path, (await get(path)).headers.get('X-Cache')]).toEqual([path, 'HIT'])
      // Still cached, within their share: the same search or deep page again is a hit.
      for (const path of endless.slice(-3)) expect([path, (await get(path)).headers.get('X-Cache')]).toEqual([path, 'HIT'])
    } finally {
      await shop.close()
    }
  })
})
