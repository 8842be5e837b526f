import { describe, expect, it } from 'vitest'
import { checkedData, unserialisable } from './serialisable.ts'

describe("what JSON would not carry of a loader's data", () => {
  it('passes JSON data: strings, finite numbers, booleans, null, plain objects and arrays, undefined fields', () => {
    expect(unserialisable({ a: 'x', b: [1, 2.5, { c: null, d: true }], e: undefined, f: Object.create(null) })).toBeUndefined()
  })

  it('names the first value it would change or drop, by its path', () => {
    expect(unserialisable({ items: [{ when: new Date(0) }] })).toBe('data.items[0].when, a Date (send date.getTime() or date.toISOString())')
    expect(unserialisable({ stock: new Map() })).toBe('data.stock, a Map (send a plain object or an array)')
    expect(unserialisable({ total: 10n })).toBe('data.total, a BigInt (send a number, or a string)')
    expect(unserialisable({ format: () => '' })).toBe('data.format, a function (JSON drops it)')
    expect(unserialisable({ ratio: Number.NaN })).toBe('data.ratio, NaN (JSON makes it null)')
    expect(unserialisable({ part: { list: Promise.resolve([]) } })).toBe('data.part.list, a promise below the top level (only a top-level promise is deferred)')
    const loop: Record<string, unknown> = {}
    loop.self = loop
    expect(unserialisable({ loop })).toBe('data.loop.self, a circular reference')
  })

  it('throws naming the route; a top-level promise is deferred, checked when it settles', async () => {
    expect(() => checkedData('/gift-cards', { when: new Date(0) })).toThrow(
      'The loader of /gift-cards returned data.when, a Date (send date.getTime() or date.toISOString()): the browser gets its JSON copy',
    )
    const data = checkedData('/gift-cards', { fine: 1, later: Promise.resolve(new Set([1])) }) as { fine: number; later: Promise<unknown> }
    expect(data.fine).toBe(1)
    await expect(data.later).rejects.toThrow('The loader of /gift-cards returned data.later, a Set (send a plain object or an array)')
  })
})
