import { z } from 'zod'
import { orderSchema } from './schemas.ts'

const money = z.string().meta({ description: 'Formatted for people, e.g. `$12.50`; compute with the `…Cents` fields.' })

/** The shopper's cart as `/api/cart` answers it (the `Cart` type of schemas.ts). */
export const cartSchema = z
  .object({
    items: z.array(
      z.object({
        productId: z.number().int(),
        slug: z.string(),
        name: z.string(),
        quantity: z.number().int(),
        priceCents: z.number().int(),
        price: money,
        stock: z.number().int(),
        lineTotal: money,
      }),
    ),
    count: z.number().int().meta({ description: 'Items in the cart, quantities added up.' }),
    totalCents: z.number().int(),
    total: money,
    version: z.string().meta({ description: 'Changes with any line, quantity or price: send it as `cartVersion` to `orders.place`.' }),
    setAside: z.number().int().optional().meta({
      description:
        'Products kept outside the cart (in `cart.get` only): carts merged (at sign-in, or made at once in several tabs) did not all fit into its 100 lines. They join the cart as lines are removed or the cart is ordered.',
    }),
  })
  .meta({ id: 'Cart' })

export const orderBody = z.object({ order: orderSchema })

/** `GET /api/dashboard`: each panel shaped for the UI. */
export const dashboardSchema = z
  .object({
    profile: z.object({ name: z.string(), email: z.string(), memberSince: z.string() }),
    orders: z.object({
      count: z.number().int().meta({ description: 'Orders not cancelled (`recent` lists cancelled ones too).' }),
      cancelled: z.number().int().meta({ description: 'Orders cancelled.' }),
      totalSpent: money.meta({ description: 'What the orders not cancelled cost.' }),
      recent: z.array(z.object({ id: z.number().int(), status: z.string(), total: money, itemCount: z.number().int(), createdAt: z.string() })),
    }),
    notifications: z.array(z.object({ id: z.number().int(), message: z.string(), createdAt: z.string() })),
  })
  .meta({ id: 'Dashboard' })
