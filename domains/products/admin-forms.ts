import { z } from 'zod'
import { centsText, integerText } from '#shared/http'
import { MAX_PRICE_CENTS, MAX_STOCK, productInput, slugSchema } from './schemas.ts'

/** An admin types a price in dollars ("12.50"); the catalogue keeps whole cents, read exactly. */
const dollars = centsText({ max: MAX_PRICE_CENTS }, { invalid: 'Enter a price, e.g. 12.50', tooSmall: 'The price must be above zero' })

const stockMessage = `Enter a whole number from 0 to ${MAX_STOCK}`
const stock = integerText({ min: 0, max: MAX_STOCK }, stockMessage)
/**
 * The stock as the edit form shows and sends it back: cancelled orders may have taken it past
 * MAX_STOCK (they give back what they took), and such a product must still save as it is.
 */
const stockKept = integerText({ min: 0, max: 2_147_483_647 }, stockMessage)

/** The admin product form's fields, as form posts send them (strings), for create and edit. */
export const productForm = z.object({
  name: productInput.shape.name,
  slug: z.union([z.literal(''), slugSchema]).transform((value) => value || undefined),
  description: productInput.shape.description,
  price: dollars,
  stock,
  category: productInput.shape.category,
})

/**
 * What the edit form showed, sent back with it (hidden fields): the product's version and stock.
 * Optional: a page opened before they existed still saves as it did.
 */
const seenProduct = { version: z.iso.datetime().optional(), stockShown: stockKept.optional() }

/** A save: a stock typed anew stays within MAX_STOCK; one left as shown is not written, whatever it is. */
const productSave = productForm
  .extend({ intent: z.literal('save'), stock: stockKept, ...seenProduct })
  .refine((input) => input.stock <= MAX_STOCK || input.stock === input.stockShown, { path: ['stock'], message: stockMessage })

export const adminProductAction = z.discriminatedUnion('intent', [
  productSave,
  z.object({ intent: z.literal('adjust-stock'), delta: integerText({ min: -MAX_STOCK, max: MAX_STOCK }, 'Enter a whole number, e.g. 10 or -3') }),
  // Ticked on purpose: a deletion cannot be undone (the browser asks for the tick without JavaScript too).
  z.object({ intent: z.literal('delete'), confirm: z.literal('on', { error: 'Tick the box to delete this product for good' }) }),
])
