import { z } from 'zod'
import { productInput, slugSchema } from './schemas.ts'

/** An admin types a price in dollars ("12.50"); the catalogue keeps whole cents. */
const dollars = z.coerce
  .number({ error: 'Enter a price, e.g. 12.50' })
  .positive('The price must be above zero')
  .max(1_000_000)
  .transform((value) => Math.round(value * 100))

const stock = z.coerce.number({ error: 'Enter a whole number' }).int('Enter a whole number').min(0, 'Stock cannot be negative').max(1_000_000)

/** The admin product form's fields, as form posts send them (strings), for create and edit. */
export const productForm = z.object({
  name: productInput.shape.name,
  slug: z.union([z.literal(''), slugSchema]).transform((value) => value || undefined),
  description: productInput.shape.description,
  price: dollars,
  stock,
  category: productInput.shape.category,
})

export const adminProductAction = z.discriminatedUnion('intent', [
  productForm.extend({ intent: z.literal('save') }),
  z.object({ intent: z.literal('adjust-stock'), delta: z.coerce.number().int('Enter a whole number').min(-1_000_000).max(1_000_000) }),
  z.object({ intent: z.literal('delete') }),
])
