import { describe, expect, it } from 'vitest'
import { defineDomain } from './define-domain.ts'
import { domainOf, refuseTsxEntries } from './domain-module.ts'

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

  it('names an index.tsx, which would never be loaded', () => {
    expect(() => refuseTsxEntries(['/domains/reviews/index.tsx'])).toThrow("domains/reviews/index.tsx: a domain's entry is index.ts (rename it)")
    expect(() => refuseTsxEntries([])).not.toThrow()
  })
})
