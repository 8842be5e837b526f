import { Hono, type Context } from 'hono'
import { describe, expect, it } from 'vitest'
import { pathAndQuery, queryOf } from './request-url.ts'

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
    expect(await of('http://localhost/products?q=a%20b&page=2&q=c')).toEqual([['q', 'a b'], ['page', '2'], ['q', 'c']])
    expect(await of('http://localhost/products')).toEqual([])
    expect(await of('http://localhost/products?x=1#top')).toEqual([['x', '1']])
  })
})
