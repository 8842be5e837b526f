import { Hono, type Context } from 'hono'
import { describe, expect, it } from 'vitest'
import { keptQuery, pathAndQuery, queryOf } from './request-url.ts'

describe('pathAndQuery', () => {
  const app = new Hono().get('*', (c) => c.text(pathAndQuery(c)))
  const of = async (url: string) => (await app.request(url)).text()

  it('is the path and query of the request, normalised, without a fragment', async () => {
    expect(await of('http://localhost/products?page=2&q=a%20b')).toBe('/products?page=2&q=a%20b')
    expect(await of('http://localhost/products')).toBe('/products')
    expect(await of('http://localhost')).toBe('/')
    expect(await of('http://localhost/a/../products/./x?y=/z#top')).toBe('/products/x?y=/z')
    expect(await of('https://example.com:8443/p?x')).toBe('/p?x')
    expect(await of('http://localhost/products?')).toBe('/products')
  })

  it('reads a raw URL as new URL() does: the fragment starts at the first #, a ? after it is not a query', () => {
    const cases = ['http://h/products#?q=spam&page=3', 'http://h/products?q=a#b?c', 'http://h/p?', 'http://h/p?#x', 'http://h/a//b?x=1', 'http://h']
    for (const url of cases) {
      const c = { req: { url } } as unknown as Context
      const parsed = new URL(url)
      expect(pathAndQuery(c)).toBe(parsed.pathname + parsed.search)
      expect([...queryOf(c)]).toEqual([...parsed.searchParams])
    }
  })

  it('reads the query parameters', async () => {
    const params = new Hono().get('*', (c) => c.json([...queryOf(c)]))
    const of = async (url: string) => (await params.request(url)).json()
    expect(await of('http://localhost/products?q=a%20b&page=2&q=c')).toEqual([
      ['q', 'a b'],
      ['page', '2'],
      ['q', 'c'],
    ])
    expect(await of('http://localhost/products')).toEqual([])
    expect(await of('http://localhost/products?x=1#top')).toEqual([['x', '1']])
  })
})

describe('keptQuery: what a cached page keeps of a query', () => {
  const keep = new Set(['q', 'category', 'page'])

  it('keeps only the declared parameters, sorted by name', () => {
    expect(keptQuery('utm_source=x&page=2&fbclid=y&q=mug', keep)).toBe('page=2&q=mug')
    expect(keptQuery('q=mug&page=2', keep)).toBe(keptQuery('page=2&q=mug', keep))
    expect(keptQuery('utm_source=x&utm_medium=y', keep)).toBe('')
    expect(keptQuery('q=mug', new Set())).toBe('')
  })

  it('keeps every value of a repeated parameter in its order, and empty values', () => {
    expect(keptQuery('q=b&page=1&q=a', keep)).toBe('page=1&q=b&q=a')
    expect(keptQuery('q=a&q=b', keep)).not.toBe(keptQuery('q=b&q=a', keep)) // first and last differ: the page may read either
    expect(keptQuery('q=&page', keep)).toBe('page=&q=')
    expect(keptQuery('&&q=1&', keep)).toBe('q=1')
  })

  it('reads names as URLSearchParams does, and keeps values as sent', () => {
    expect(keptQuery('%71=mug&x%20y=1', keep)).toBe('%71=mug')
    expect(keptQuery('q=a%20b&category=k%C3%BCche', keep)).toBe('category=k%C3%BCche&q=a%20b')
    expect(keptQuery('q%=1&page=%zz', keep)).toBe('page=%zz') // malformed escapes, kept as URLSearchParams keeps them
  })

  it('gives the loader exactly what the key holds', () => {
    for (const query of ['b=1&q=x&a=2&q=y', 'q', 'page=3&utm=1&category=k%C3%BCche', '%71=1&q=2']) {
      const kept = new URLSearchParams(keptQuery(query, keep))
      const declared = [...new URLSearchParams(query)].filter(([name]) => keep.has(name))
      expect([...kept].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(declared.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    }
  })

  it('filters pathAndQuery and queryOf when given the names', async () => {
    const app = new Hono().get('*', (c) => c.json({ url: pathAndQuery(c, keep), query: [...queryOf(c, keep)] }))
    const res = await (await app.request('http://localhost/products?utm=1&q=a+b&page=2')).json()
    expect(res).toEqual({
      url: '/products?page=2&q=a+b',
      query: [
        ['page', '2'],
        ['q', 'a b'],
      ],
    })
    expect(await (await app.request('http://localhost/products?utm=1')).json()).toEqual({ url: '/products', query: [] })
  })
})
