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

  it.each(['Products', 'gift_cards', '1st', 'a--b'])('refuses the name %s', (name) => {
    expect(() => defineDomain({ name })).toThrow(/kebab-case/)
  })

  it('refuses reserved names', () => {
    expect(() => defineDomain({ name: 'api' })).toThrow(/reserved/)
  })
})
