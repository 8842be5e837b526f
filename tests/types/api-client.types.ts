/**
 * A type test, checked by `npm run typecheck`: a call that does not match an API's zod schema
 * does not compile. If the typed client lost its types, the `@ts-expect-error` lines would fail.
 */
import { apiClient } from '#shared/client'
import type { cartApi } from '../../domains/orders/api.server.ts'
import type { productsApi } from '../../domains/products/api.server.ts'

export async function callsThatCompile() {
  const cart = apiClient<typeof cartApi>('cart')
  await cart.items.$post({ json: { productId: 1, quantity: 2 } })
  const products = apiClient<typeof productsApi>('products')
  const res = await products.index.$get({ query: { q: 'mug', page: '2' } })
  if (res.ok) {
    const body = await res.json()
    const names: string[] = body.items.map((item) => item.name)
    void names
  }
}

export async function callsThatDoNot() {
  const cart = apiClient<typeof cartApi>('cart')
  // @ts-expect-error: there is no such route
  await cart.nothing.$get()
  const products = apiClient<typeof productsApi>('products')
  // @ts-expect-error: priceCents is a number in the schema
  await products.index.$post({ json: { name: 'Lamp', priceCents: 'free', stock: 1, category: 'decor' } })
  const res = await products.index.$get({ query: {} })
  if (res.ok) {
    // @ts-expect-error: a product list has no `rows`
    void (await res.json()).rows
  }
}
