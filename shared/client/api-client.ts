import type { Hono } from 'hono'
import { hc } from 'hono/client'

/**
 * Hono's typed client for a domain's API: paths, inputs and outputs come from the API's own zod
 * schemas, so a changed schema breaks its callers at compile time. Import the API's type only.
 * @example
 * import type { cartApi } from '../api.server.ts'
 * const cart = apiClient<typeof cartApi>('cart')
 * await cart.items.$post({ json: { productId: 1, quantity: 2 } })
 */
// biome-ignore lint/suspicious/noExplicitAny: any app's type, whatever its env, schema and base path (what hc<> itself accepts)
export function apiClient<Api extends Hono<any, any, any>>(name: string, origin = typeof location === 'undefined' ? 'http://localhost' : location.origin) {
  return hc<Api>(`${origin}/api/${name}`, { init: { credentials: 'same-origin' } })
}
