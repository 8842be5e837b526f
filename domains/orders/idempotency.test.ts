import { describe, expect, it } from 'vitest'
import { requestHash } from './idempotency.server.ts'
import type { CheckoutInput } from './schemas.ts'

const input: CheckoutInput = {
  shipping: { name: 'Ada', line1: '1 Road', city: 'Town', postalCode: '12345', country: 'GB' },
  card: { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' },
}
const lines = [
  { productId: 1, quantity: 2, priceCents: 500 },
  { productId: 7, quantity: 1, priceCents: 1250 },
]
const hash = requestHash(lines, input)

describe('requestHash: what makes two checkout requests the same', () => {
  it('is the same for the same lines in any order, and whatever the CVC', () => {
    expect(requestHash([...lines].reverse(), input)).toBe(hash)
    expect(requestHash(lines, { ...input, card: { ...input.card, cvc: '999' } })).toBe(hash)
  })

  it('differs for another product, quantity or unit price', () => {
    expect(requestHash([lines[0]!], input)).not.toBe(hash)
    expect(requestHash([lines[0]!, { ...lines[1]!, quantity: 2 }], input)).not.toBe(hash)
    expect(requestHash([lines[0]!, { ...lines[1]!, priceCents: 1300 }], input)).not.toBe(hash)
  })

  it('differs for another shipping field, card (first six, last four digits) or expiry', () => {
    for (const shipping of [{ name: 'Bo' }, { line1: '2 Road' }, { line2: 'Flat 1' }, { city: 'City' }, { postalCode: '54321' }, { country: 'FR' }]) {
      expect(requestHash(lines, { ...input, shipping: { ...input.shipping, ...shipping } })).not.toBe(hash)
    }
    for (const card of [{ number: '4242424242424200' }, { number: '5555554242424242' }, { expMonth: 11 }, { expYear: 2098 }]) {
      expect(requestHash(lines, { ...input, card: { ...input.card, ...card } })).not.toBe(hash)
    }
  })

  it('holds no card number: the same first six and last four with other middle digits give the same hash', () => {
    expect(requestHash(lines, { ...input, card: { ...input.card, number: '4242420000004242' } })).toBe(hash)
  })
})
