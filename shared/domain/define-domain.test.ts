import { Hono } from 'hono'
import type { AppEnv } from '#shared/http'
import { describe, expect, it } from 'vitest'
import { defineDomain } from './define-domain.ts'

const up = async () => {}

describe('defineDomain', () => {
  it('names migrations after the domain and the file, in order', () => {
    const domain = defineDomain({
      name: 'gift-cards',
      migrations: { './migrations/002-b.server.ts': { up }, './migrations/001-a.server.ts': { up } },
    })
    expect(Object.keys(domain.migrations)).toEqual(['gift-cards/001-a', 'gift-cards/002-b'])
  })

  it('refuses a migration file not named NNN-what-it-does (run in name order: `2-b` after `010-a`), or without an up function', () => {
    for (const file of ['add-code', '2-add-code', '003_add_code', '003-Add-code'])
      expect(() => defineDomain({ name: 'gift-cards', migrations: { [`./migrations/${file}.server.ts`]: { up } } })).toThrow(
        `domains/gift-cards/migrations/${file}.server.ts: a migration is named NNN-what-it-does.server.ts (e.g. 003-add-code.server.ts`,
      )
    expect(() => defineDomain({ name: 'gift-cards', migrations: { './migrations/003-add-code.server.ts': { upp: up } as never } })).toThrow(
      'domains/gift-cards/migrations/003-add-code.server.ts must export `async function up(db)`',
    )
  })

  it.each(['Products', 'gift_cards', '1st', 'a--b'])('refuses the name %s', (name) => {
    expect(() => defineDomain({ name })).toThrow(/kebab-case/)
  })

  it('refuses reserved names: the platform\'s paths, and "platform", which its own migrations are named by', () => {
    expect(() => defineDomain({ name: 'api' })).toThrow(/reserved/)
    expect(() => defineDomain({ name: 'platform' })).toThrow(/reserved/)
  })

  it('refuses a field it does not have: a misspelt one served nothing, silently', () => {
    expect(() => defineDomain({ name: 'reviews', route: [] } as never)).toThrow('Domain "reviews": no field "route" (a domain has name, api, apis,')
  })

  it("refuses an API or sitemap source name that is not one kebab-case segment (it would answer inside another's URLs)", () => {
    const api = new Hono<AppEnv>()
    expect(() => defineDomain({ name: 'reviews', apis: { 'products/featured': api } })).toThrow('API name "products/featured" must be kebab-case')
    expect(() => defineDomain({ name: 'reviews', apis: { healthz: api } })).toThrow('API name "healthz"')
    const source = { name: 'Product Reviews', lastKey: async () => 1, urls: async function* () {} }
    expect(() => defineDomain({ name: 'reviews', sitemap: [source] })).toThrow('sitemap source "Product Reviews" must be kebab-case')
  })
})
