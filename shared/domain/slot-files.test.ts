import { describe, expect, it } from 'vitest'
import { defineDomain } from './define-domain.ts'
import { isDomainMistake } from './domain-mistake.ts'
import { refuseUnfilledSlots } from './slot-files.ts'

const Filler = () => null
const products = defineDomain({ name: 'products', slots: ['product-actions'] })
const orders = defineDomain({ name: 'orders' })

describe("the domains' slot files", () => {
  it('accepts a file filling a slot a domain offers', () => {
    expect(() => refuseUnfilledSlots({ '/domains/orders/slots/product-actions.slot.tsx': { default: Filler } }, [products, orders])).not.toThrow()
    expect(() => refuseUnfilledSlots({}, [orders])).not.toThrow()
  })

  it('names a misspelt slot file, which was never rendered, and the slot it likely meant', () => {
    expect(() => refuseUnfilledSlots({ '/domains/orders/slots/product-action.slot.tsx': { default: Filler } }, [products, orders])).toThrow(
      'domains/orders/slots/product-action.slot.tsx fills the slot "product-action", which no domain offers (did you mean "product-actions"? rename the file product-actions.slot.tsx). Slots offered',
    )
  })

  it('throws a DomainMistake, which the process prints as its message alone (no stack)', () => {
    let thrown: unknown
    try {
      refuseUnfilledSlots({ '/domains/orders/slots/product-action.slot.tsx': { default: Filler } }, [products])
    } catch (err) {
      thrown = err
    }
    expect(isDomainMistake(thrown)).toBe(true)
  })

  it('names a file filling a slot no domain offers, listing those there are', () => {
    expect(() => refuseUnfilledSlots({ '/domains/orders/slots/checkout-extras.slot.tsx': { default: Filler } }, [products, orders])).toThrow(
      /checkout-extras\.slot\.tsx fills the slot "checkout-extras", which no domain offers\. Slots offered \(defineDomain's `slots`\): "product-actions";/,
    )
  })

  it('names a slot file whose default export is no component', () => {
    for (const module of [{}, { default: 'Add to cart' }])
      expect(() => refuseUnfilledSlots({ '/domains/orders/slots/product-actions.slot.tsx': module }, [products])).toThrow(
        "domains/orders/slots/product-actions.slot.tsx must `export default` a component taking SlotProps<'product-actions'>",
      )
  })

  it('refuses two domains offering one slot name', () => {
    const other = defineDomain({ name: 'wishlist', slots: ['product-actions'] })
    expect(() => refuseUnfilledSlots({}, [products, other])).toThrow('Both products and wishlist define the slot "product-actions"')
  })
})
