import { describe, expect, it } from 'vitest'
import { defineDomain } from './define-domain.ts'
import { inDependencyOrder } from './dependency-order.ts'

const domain = (name: string, dependsOn: string[] = []) => defineDomain({ name, dependsOn })
const names = (domains: { name: string }[]) => domains.map((d) => d.name)

describe('inDependencyOrder', () => {
  it('puts each domain after the ones it depends on, and keeps the given order otherwise', () => {
    expect(names(inDependencyOrder([domain('auth'), domain('orders', ['auth', 'products']), domain('products')]))).toEqual(['auth', 'products', 'orders'])
    expect(names(inDependencyOrder([domain('b'), domain('a')]))).toEqual(['b', 'a'])
    expect(names(inDependencyOrder([domain('c', ['b']), domain('b', ['a']), domain('a')]))).toEqual(['a', 'b', 'c'])
  })

  it('names an unknown dependency and a cycle', () => {
    expect(() => inDependencyOrder([domain('orders', ['payments'])])).toThrow('Domain "orders" depends on "payments", which is not a domain here.')
    expect(() => inDependencyOrder([domain('a', ['b']), domain('b', ['a'])])).toThrow('Domains depend on each other in a cycle: a → b → a')
  })
})
