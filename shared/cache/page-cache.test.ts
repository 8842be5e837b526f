import { describe, it, expect, vi } from 'vitest'
import type { CachedPage } from './cached-page.ts'
import { PageCache, entryBytes } from './page-cache.server.ts'

const policy = { maxAgeMs: 1_000, staleWhileRevalidateMs: 5_000 }

const page = (body: string, more: Partial<CachedPage> = {}): CachedPage => ({
  body: Buffer.from(body),
  scriptHashes: '',
  status: 200,
  headers: { 'content-type': 'text/html' },
  tags: [],
  path: '/products',
  ...more,
})

function setup(maxBytes = 1_000_000) {
  let time = 0
  const onError = vi.fn()
  const cache = new PageCache({ maxBytes, now: () => time, onError })
  return { cache, onError, advance: (ms: number) => void (time += ms) }
}

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Lets every settled promise run its callbacks (background regeneration included). */
const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('PageCache', () => {
  it('renders on a MISS, then serves a HIT without rendering', async () => {
    const { cache } = setup()
    const render = vi.fn(async () => page('v1'))
    expect(await cache.resolve('/products', policy, render)).toEqual({ page: page('v1'), state: 'MISS' })
    expect(await cache.resolve('/products', policy, render)).toEqual({ page: page('v1'), state: 'HIT' })
    expect(render).toHaveBeenCalledTimes(1)
  })

  it('shares one render among concurrent MISSes for a key', async () => {
    const { cache } = setup()
    const rendered = deferred<CachedPage>()
    const render = vi.fn(() => rendered.promise)
    const requests = Array.from({ length: 20 }, () => cache.resolve('/products', policy, render))
    rendered.resolve(page('v1'))
    const results = await Promise.all(requests)
    expect(render).toHaveBeenCalledTimes(1)
    expect(results.every((r) => r.state === 'MISS' && String(r.page?.body) === 'v1')).toBe(true)
  })

  it('serves STALE and starts exactly one regeneration, however many requests arrive', async () => {
    const { cache, advance } = setup()
    await cache.resolve('/products', policy, async () => page('v1'))
    advance(1_500)
    const regenerated = deferred<CachedPage>()
    const render = vi.fn(() => regenerated.promise)
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.resolve('/products', policy, render)))
    expect(results.every((r) => r.state === 'STALE' && String(r.page?.body) === 'v1')).toBe(true)
    expect(render).toHaveBeenCalledTimes(1)
    regenerated.resolve(page('v2'))
    await settle()
    expect(await cache.resolve('/products', policy, render)).toMatchObject({ state: 'HIT', page: { body: Buffer.from('v2') } })
    expect(render).toHaveBeenCalledTimes(1)
  })

  it('renders again (MISS) once an entry is older than max age plus the stale window', async () => {
    const { cache, advance } = setup()
    await cache.resolve('/products', policy, async () => page('v1'))
    advance(6_000)
    const render = vi.fn(async () => page('v2'))
    expect(await cache.resolve('/products', policy, render)).toMatchObject({ state: 'MISS', page: { body: Buffer.from('v2') } })
    expect(render).toHaveBeenCalledTimes(1)
  })

  it('drops every entry with an invalidated tag, and only those', async () => {
    const { cache } = setup()
    await cache.resolve('/products/1', policy, async () => page('one', { path: '/products/1', tags: ['products', 'product:1'] }))
    await cache.resolve('/products/2', policy, async () => page('two', { path: '/products/2', tags: ['products', 'product:2'] }))
    cache.invalidateTag('product:1')
    expect(cache.size).toBe(1)
    expect((await cache.resolve('/products/2', policy, async () => page('new'))).state).toBe('HIT')
    const again = await cache.resolve('/products/1', policy, async () => page('new', { tags: ['products'] }))
    expect(again).toMatchObject({ state: 'MISS', page: { body: Buffer.from('new') } })
    cache.invalidateTag('products')
    expect(cache.size).toBe(0)
  })

  it('drops every query variant of an invalidated path, and not other paths', async () => {
    const { cache } = setup()
    for (const key of ['/products', '/products?page=2', '/products?sort=price']) await cache.resolve(key, policy, async () => page(key))
    await cache.resolve('/products/1', policy, async () => page('one', { path: '/products/1' }))
    cache.invalidatePath('/products')
    expect(cache.size).toBe(1)
    expect((await cache.resolve('/products/1', policy, async () => page('new'))).state).toBe('HIT')
    expect((await cache.resolve('/products?page=2', policy, async () => page('new'))).state).toBe('MISS')
  })

  it('counts bytes, not characters', async () => {
    const { cache } = setup()
    await cache.resolve('/products', policy, async () => page('é'.repeat(1_000)))
    expect(cache.bytes).toBeGreaterThanOrEqual(2_000)
    expect(cache.bytes).toBe(entryBytes('/products', page('é'.repeat(1_000))))
  })

  it('evicts the least recently used entries when over its byte budget', async () => {
    const oneEntry = entryBytes('/a', page('x'.repeat(1_000)))
    const { cache } = setup(oneEntry * 3)
    for (const key of ['/a', '/b', '/c']) await cache.resolve(key, policy, async () => page('x'.repeat(1_000)))
    await cache.resolve('/a', policy, async () => page('unused')) // /a is now used more recently than /b
    await cache.resolve('/d', policy, async () => page('x'.repeat(1_000)))
    expect(cache.size).toBe(3)
    expect(cache.bytes).toBe(oneEntry * 3)
    expect((await cache.resolve('/a', policy, async () => page('new'))).state).toBe('HIT')
    expect((await cache.resolve('/b', policy, async () => page('new'))).state).toBe('MISS')
  })

  it('keeps long-tail entries within their share, evicting among themselves: a flood of them leaves the others', async () => {
    const oneEntry = entryBytes('/a', page('x'.repeat(1_000)))
    const { cache } = setup(oneEntry * 8) // a quarter: two long-tail entries
    for (const key of ['/a', '/b', '/c', '/d', '/e', '/f']) await cache.resolve(key, policy, async () => page('x'.repeat(1_000)))
    for (let i = 0; i < 100; i++) await cache.resolve(`/t${i}`, policy, async () => page('x'.repeat(1_000).slice(String(i).length) + i, { longTail: true }))
    expect(cache.tailBytes).toBeLessThanOrEqual(oneEntry * 2)
    for (const key of ['/a', '/b', '/c', '/d', '/e', '/f'])
      expect([key, (await cache.resolve(key, policy, async () => page('new'))).state]).toEqual([key, 'HIT'])
    // The latest long-tail pages are still kept (a search repeated is a HIT), the older gone.
    expect((await cache.resolve('/t99', policy, async () => page('new'))).state).toBe('HIT')
    expect((await cache.resolve('/t0', policy, async () => page('new', { longTail: true }))).state).toBe('MISS')
    // A long-tail page over the share is not stored at all.
    await cache.resolve('/big', policy, async () => page('x'.repeat(3_000), { longTail: true }))
    expect((await cache.resolve('/big', policy, async () => page('new'))).state).toBe('MISS')
    // Dropped by tag or all at once, its bytes go with it.
    cache.invalidateAll()
    expect([cache.size, cache.bytes, cache.tailBytes]).toEqual([0, 0, 0])
  })

  it('does not store an entry bigger than the whole budget, nor evict for it', async () => {
    const { cache } = setup(2_000)
    await cache.resolve('/small', policy, async () => page('small'))
    const huge = await cache.resolve('/huge', policy, async () => page('x'.repeat(5_000)))
    expect(huge).toMatchObject({ state: 'MISS', page: { body: Buffer.from('x'.repeat(5_000)) } })
    expect(cache.size).toBe(1)
    expect((await cache.resolve('/huge', policy, async () => page('again'))).state).toBe('MISS')
  })

  it('does not store a render that answered null, and gives null to the caller', async () => {
    const { cache } = setup()
    expect(await cache.resolve('/broken', policy, async () => null)).toEqual({ page: null, state: 'MISS' })
    expect(cache.size).toBe(0)
  })

  it('rejects every request sharing a failed render, and stores nothing', async () => {
    const { cache } = setup()
    const render = vi.fn(async (): Promise<CachedPage> => Promise.reject(new Error('db down')))
    const requests = [cache.resolve('/p', policy, render), cache.resolve('/p', policy, render)]
    await expect(Promise.all(requests)).rejects.toThrow('db down')
    expect(render).toHaveBeenCalledTimes(1)
    expect((await cache.resolve('/p', policy, async () => page('ok'))).state).toBe('MISS')
  })

  it('does not store a render that was in flight when its tag was invalidated', async () => {
    const { cache } = setup()
    const rendered = deferred<CachedPage>()
    const request = cache.resolve('/products', policy, () => rendered.promise)
    cache.invalidateTag('products')
    rendered.resolve(page('read before the change', { tags: ['products'] }))
    expect(await request).toMatchObject({ state: 'MISS', page: { body: Buffer.from('read before the change') } })
    expect(cache.size).toBe(0)
  })

  it('does not store a regeneration that was in flight when its path was invalidated', async () => {
    const { cache, advance } = setup()
    await cache.resolve('/products', policy, async () => page('v1'))
    advance(1_500)
    const regenerated = deferred<CachedPage>()
    await cache.resolve('/products', policy, () => regenerated.promise)
    cache.invalidatePath('/products')
    regenerated.resolve(page('v2'))
    await settle()
    expect(cache.size).toBe(0)
  })

  it('drops everything on invalidateAll, renders in flight included, and stores again afterwards', async () => {
    const { cache } = setup()
    await cache.resolve('/products', policy, async () => page('list', { tags: ['products'] }))
    await cache.resolve('/about', policy, async () => page('about', { path: '/about' }))
    const rendered = deferred<CachedPage>()
    const request = cache.resolve('/cart', policy, () => rendered.promise)
    cache.invalidateAll()
    expect([cache.size, cache.bytes]).toEqual([0, 0])
    rendered.resolve(page('cart', { path: '/cart' }))
    await request
    expect(cache.size).toBe(0)
    expect((await cache.resolve('/about', policy, async () => page('about', { path: '/about' }))).state).toBe('MISS')
    expect((await cache.resolve('/about', policy, async () => null)).state).toBe('HIT')
  })

  it('starts a new render for requests after an invalidation; the older render never overwrites it', async () => {
    const { cache } = setup()
    const before = deferred<CachedPage>()
    const first = cache.resolve('/products', policy, () => before.promise)
    cache.invalidateTag('unrelated')
    const after = vi.fn(async () => page('after'))
    expect(String((await cache.resolve('/products', policy, after)).page?.body)).toBe('after')
    expect(after).toHaveBeenCalledTimes(1)
    before.resolve(page('before'))
    await first
    expect(await cache.resolve('/products', policy, after)).toMatchObject({ state: 'HIT', page: { body: Buffer.from('after') } })
  })

  it('keeps serving the stale entry when a regeneration fails, and reports the error', async () => {
    const { cache, advance, onError } = setup()
    await cache.resolve('/products', policy, async () => page('v1'))
    advance(1_500)
    const failure = new Error('db down')
    const failing = vi.fn(async (): Promise<CachedPage> => Promise.reject(failure))
    expect(await cache.resolve('/products', policy, failing)).toMatchObject({ state: 'STALE', page: { body: Buffer.from('v1') } })
    await settle()
    expect(onError).toHaveBeenCalledWith(failure, '/products')
    expect(await cache.resolve('/products', policy, failing)).toMatchObject({ state: 'STALE', page: { body: Buffer.from('v1') } })
    expect(cache.size).toBe(1)
  })
})
