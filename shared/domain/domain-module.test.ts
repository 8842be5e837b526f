import { describe, expect, it } from 'vitest'
import { defineDomain } from './define-domain.ts'
import { domainOf, importDomain, refuseStrayFiles, refuseTsxEntries } from './domain-module.ts'

describe("a domain folder's entry", () => {
  it('gives the domain its index.ts exports by default', () => {
    const reviews = defineDomain({ name: 'reviews' })
    expect(domainOf('/domains/reviews/index.ts', { default: reviews })).toBe(reviews)
  })

  it('names the file that exports no domain (a named export, nothing, something else)', () => {
    for (const module of [{}, { default: undefined }, { default: { routes: [] } as never }]) {
      expect(() => domainOf('/domains/reviews/index.ts', module)).toThrow('domains/reviews/index.ts must `export default defineDomain({ name, … })`')
    }
  })

  it("refuses a look-alike of defineDomain's, and a name that is not its folder's (two folders naming one domain ran one's migrations)", () => {
    const plain = { name: 'reviews', routes: [], dependsOn: [] } as never
    expect(() => domainOf('/domains/reviews/index.ts', { default: plain })).toThrow('domains/reviews/index.ts must `export default defineDomain')
    const reviews = defineDomain({ name: 'reviews' })
    expect(() => domainOf('/domains/zz-ratings/index.ts', { default: reviews })).toThrow(
      'domains/zz-ratings/index.ts names its domain "reviews": a domain\'s name is its folder\'s, "zz-ratings"',
    )
  })

  it('names the files the start would pass over: a page, slot or migration of a folder with no index.ts, a migration not *.server.ts', () => {
    const entries = ['/domains/products/index.ts', '/tests/fixtures/domains/demo/index.ts']
    const fine = ['/domains/products/pages/product.page.tsx', '/domains/products/migrations/001-a.server.ts', '/tests/fixtures/domains/demo/slots/x.slot.tsx']
    expect(() => refuseStrayFiles(fine, entries)).not.toThrow()
    expect(() =>
      refuseStrayFiles([...fine, '/domains/ratings/slots/product-actions.slot.tsx', '/domains/products/migrations/002-index-reviews.ts'], entries),
    ).toThrow(
      'domains/ratings/slots/product-actions.slot.tsx: its folder has no index.ts (defineDomain), so no domain\n' +
        'domains/products/migrations/002-index-reviews.ts: a migration is a *.server.ts file (this one would never run)',
    )
  })

  it('names a migration in a folder below migrations/, which would never run (its table silently missing)', () => {
    const entries = ['/domains/products/index.ts']
    expect(() => refuseStrayFiles(['/domains/products/migrations/001-a.server.ts', '/domains/products/migrations/later/002-b.server.ts'], entries)).toThrow(
      'domains/products/migrations/later/002-b.server.ts: a migration is a file directly in domains/products/migrations/ (one in a folder below it would never run: move it to domains/products/migrations/002-b.server.ts)',
    )
  })

  it('names an index.ts that throws as it loads, and the line in the domain where it threw', async () => {
    const thrown = new Error('SESSION_KEY is not set')
    thrown.stack = `Error: SESSION_KEY is not set\n    at eval (/srv/app/domains/reviews/api.server.ts:3:9)\n    at load (/srv/app/node_modules/vite/x.js:1:1)`
    await expect(importDomain('/domains/reviews/index.ts', () => Promise.reject(thrown))).rejects.toThrow(
      'domains/reviews/index.ts could not be loaded: SESSION_KEY is not set (at domains/reviews/api.server.ts:3:9)',
    )
    const module = { default: defineDomain({ name: 'reviews' }) }
    await expect(importDomain('/domains/reviews/index.ts', async () => module)).resolves.toBe(module)
  })

  it('names an index.tsx, which would never be loaded', () => {
    expect(() => refuseTsxEntries(['/domains/reviews/index.tsx'])).toThrow("domains/reviews/index.tsx: a domain's entry is index.ts (rename it)")
    expect(() => refuseTsxEntries([])).not.toThrow()
  })
})
