/**
 * A partner's code: a purchase through a client generated from /api/openapi.json with
 * openapi-typescript and openapi-fetch. tests/api-client.integration-test.ts generates `./tessera-api.ts` from
 * the served document beside a copy of this file, type-checks the two with tsc, then runs this: a
 * change to the contract that would break such a client fails there. (Not in tsconfig.json's
 * typecheck: the generated file exists only in the test.)
 */
import createClient, { type Middleware } from 'openapi-fetch'
import type { components, paths } from './tessera-api.ts'

export type Order = components['schemas']['Order']

/** A client that keeps its session cookie, as a server-side partner would. */
export function tesseraClient(baseUrl: string, fetch?: (request: Request) => Promise<Response>) {
  let session: string | undefined
  const cookies: Middleware = {
    onRequest: ({ request }) => {
      if (session) request.headers.set('Cookie', session)
      return request
    },
    onResponse: ({ response }) => {
      const set = response.headers.getSetCookie().find((cookie) => /^(__Host-)?tessera_session=/.test(cookie))
      if (set) session = set.split(';')[0]
      return response
    },
  }
  // Outside a browser, a request without a JSON body (a DELETE, the cancel POST) says it is JSON: docs/api.md.
  const client = createClient<paths>({ baseUrl, fetch, headers: { 'Content-Type': 'application/json' } })
  client.use(cookies)
  return client
}

/** Register, search, add to the cart, check out, list the orders, cancel: what each step answered. */
export async function purchase(client: ReturnType<typeof tesseraClient>, email: string) {
  const registered = await client.POST('/api/auth/register', { body: { email, name: 'Partner', password: 'a long password' } })
  if (!registered.data) throw new Error(`register: ${registered.error?.error.code}`)

  // Page by the answer's links: they are the query parameters of the next page, typed as sent.
  const query = { q: 'mug', sort: 'price-asc', limit: 5 } as const
  let search = await client.GET('/api/products', { params: { query } })
  let product = search.data?.items.find((item) => item.stock > 0)
  for (let pages = 1; !product && search.data?.links.next && pages < 20; pages++) {
    search = await client.GET('/api/products', { params: { query: { ...query, ...search.data.links.next } } })
    product = search.data?.items.find((item) => item.stock > 0)
  }
  if (!product) throw new Error('search: no mug in stock')

  const cart = await client.POST('/api/cart/items', { body: { productId: product.id, quantity: 2 } })
  if (!cart.data) throw new Error(`add to cart: ${cart.error?.error.code}`)

  const placed = await client.POST('/api/orders', {
    params: { header: { 'Idempotency-Key': `partner-${email}` } },
    body: {
      shipping: { name: 'Partner', line1: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'US' },
      card: { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2099, cvc: '123' },
    },
  })
  if (!placed.data) throw new Error(`check out: ${placed.error?.error.code}`)
  const order: Order = placed.data.order
  // @ts-expect-error: the generated Order has no `price` (its types are real, not `any`)
  void order.price

  const orders = await client.GET('/api/orders', { params: { query: {} } })
  if (!orders.data) throw new Error(`list orders: ${orders.error?.error.code}`)

  const cancelled = await client.POST('/api/orders/{id}/cancel', { params: { path: { id: order.id } } })
  if (!cancelled.data) throw new Error(`cancel: ${cancelled.error?.error.code}`)

  return { user: registered.data.user, product, cart: cart.data, order, orders: orders.data, cancelled: cancelled.data.order }
}
