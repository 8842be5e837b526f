import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { definePage, invalid, readListingQuery, readPathId } from '#shared/domain'
import type { Db } from '#shared/db'
import { HttpError, idText, notFound, notFoundPastTheEnd, plainText, redirect, syncPageCache } from '#shared/http'
import { adminOnly, requireUser, signedIn, userById } from '../auth/index.ts'
import { formatPrice } from '../products/index.ts'
import { addItem, readCart, removeItem, setQuantity } from './cart.server.ts'
import { orderStats, unreadNotifications } from './dashboard.server.ts'
import { draftOwnerProof, keepAddressOfSignedOutCheckout, takeAddressDraft } from './checkout-draft.server.ts'
import { cancelOrder, findAnyOrder, findOrder, listOrders } from './orders.server.ts'
import { gatewayOf } from './payments.server.ts'
import { placeOrder } from './place-order.server.ts'
import { cardFormSchema, cartVersion, orderListQuery, quantityText, shippingSchema } from './schemas.ts'
import { shopperCart, shopperCartId, shopperCartMaker } from './shopper-cart.server.ts'

/** A page of orders (a user's, or everyone's): a bad position (`?page=`, `?after=`, `?before=`) is a 400 page, one past the end a 404. */
async function ordersPage(db: Db, userId: number | null, query: URLSearchParams) {
  const position = readListingQuery(orderListQuery, query)
  const page = await listOrders(db, userId, position)
  notFoundPastTheEnd(page.items, position)
  return page
}

/** The checkout form's flat fields, shaped into what placeOrder takes. */
const checkoutForm = z
  .object({
    idempotencyKey: plainText().min(8).max(200),
    cartVersion: cartVersion.optional(), // a page from before it was sent one
    name: z.string(),
    line1: z.string(),
    line2: z.string().optional(),
    city: z.string(),
    postalCode: z.string(),
    country: z.string(),
    cardNumber: z.string(),
    cardExpMonth: z.string(),
    cardExpYear: z.string(),
    cardCvc: z.string(),
  })
  .transform((form, ctx) => {
    const shipping = shippingSchema.safeParse({ ...form, line2: form.line2 || undefined })
    const card = cardFormSchema.safeParse({ number: form.cardNumber, expMonth: form.cardExpMonth, expYear: form.cardExpYear, cvc: form.cardCvc })
    const cardField: Record<string, string> = { number: 'cardNumber', expMonth: 'cardExpMonth', expYear: 'cardExpYear', cvc: 'cardCvc' }
    for (const issue of shipping.error?.issues ?? []) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path })
    for (const issue of card.error?.issues ?? [])
      ctx.addIssue({ code: 'custom', message: issue.message, path: [cardField[String(issue.path[0])] ?? 'cardNumber'] })
    if (!shipping.success || !card.success) return z.NEVER
    return { idempotencyKey: form.idempotencyKey, input: { shipping: shipping.data, card: card.data, cartVersion: form.cartVersion } }
  })

export const orderRoutes = [
  definePage({
    path: '/cart',
    page: () => import('./pages/cart.page.tsx'),
    load: async ({ c, db }) => {
      const { cartId, setAside } = await shopperCart(c)
      return { cart: { ...(await readCart(db, cartId)), setAside } }
    },
    head: (data) => ({ title: `Cart (${data.cart.count}) · Tessera`, description: 'What is in your cart, and the way to checkout.' }),
    action: {
      input: z.discriminatedUnion('intent', [
        z.object({ intent: z.literal('add'), productId: idText, quantity: quantityText.default(1) }),
        z.object({ intent: z.literal('update'), productId: idText, quantity: quantityText }),
        z.object({ intent: z.literal('remove'), productId: idText }),
      ]),
      run: async ({ c, db }, input) => {
        if (input.intent === 'add') {
          await addItem(db, shopperCartMaker(c), input.productId, input.quantity)
          return
        }
        // A change or a removal makes no cart: without one there is nothing to change (404) or remove.
        const cartId = await shopperCartId(c)
        if (input.intent === 'update') await setQuantity(db, cartId, input.productId, input.quantity)
        else if (cartId) await removeItem(db, cartId, input.productId)
      },
    },
  }),
  definePage({
    path: '/checkout',
    page: () => import('./pages/checkout.page.tsx'),
    use: [keepAddressOfSignedOutCheckout(), signedIn()],
    load: async ({ c, db }) => {
      const user = await requireUser(c)
      const cart = await readCart(db, await shopperCartId(c))
      // A refused order (a POST) shows why on this page, even when its cart is empty now.
      if (cart.items.length === 0 && c.req.method !== 'POST') redirect('/cart')
      // Back from logging in after a post whose session had ended: the address typed then, if it was this account's.
      const draft = c.req.method === 'GET' ? await takeAddressDraft(c, user.id, cart.version) : undefined
      const draftFor = draftOwnerProof(c, user.id)
      return { cart, idempotencyKey: randomUUID(), ...(draftFor && { draftFor }), ...(draft && { draft }) }
    },
    head: () => ({ title: 'Checkout · Tessera', description: 'Pay for your cart and place your order.' }),
    action: {
      input: checkoutForm,
      run: async ({ c, db }, { idempotencyKey, input }) => {
        const user = await requireUser(c)
        const cartId = await shopperCartId(c)
        const placed = await placeOrder(db, {
          userId: user.id,
          cartId,
          input,
          idempotencyKey,
          gateway: gatewayOf(c.var.config),
          fulfilAfterMs: c.var.config.FULFILMENT_DELAY_MS,
        })
          .catch((err: unknown) => {
            if (!(err instanceof HttpError)) throw err
            // A declined card belongs under the card number field of this form.
            if (err.code === 'payment_declined') invalid({ cardNumber: [err.message] })
            // Another tab or window placed this cart already, or what it held is no longer sold.
            if (err.code === 'empty_cart') {
              throw new HttpError(
                400,
                'empty_cart',
                'Your cart is empty now, so nothing was ordered. If you placed it in another tab, the order is in your orders; if not, what it held is no longer sold.',
              )
            }
            // This page's key placed an order, and the cart, address or card has changed since.
            if (err.code === 'idempotency_key_reused')
              throw new HttpError(422, err.code, 'This checkout page already placed an order. Reload the page to order what is in your cart now.')
            throw err
          })
          .finally(() => syncPageCache(c)) // this process's cached pages show the new stock at once
        redirect(`/orders/${placed.order.id}?placed`)
      },
    },
  }),
  definePage({
    path: '/orders',
    page: () => import('./pages/orders.page.tsx'),
    use: [signedIn()],
    load: async ({ c, db, query }) => ({ ...(await ordersPage(db, (await requireUser(c)).id, query)), title: 'Your orders', admin: false }),
    head: () => ({ title: 'Your orders · Tessera', description: 'Every order you placed at Tessera, newest first, and where each one is.' }),
  }),
  definePage({
    path: '/orders/:id',
    page: () => import('./pages/order.page.tsx'),
    use: [signedIn()],
    load: async ({ c, db, params, query }) => {
      const order = await findOrder(db, (await requireUser(c)).id, readPathId(c, params.id, 'No such order.'))
      if (!order) notFound('No such order.') // someone else's too: a 404 never confirms it exists
      return { order, placed: query.has('placed') }
    },
    head: ({ order }) => ({ title: `Order #${order.id} · Tessera`, description: `Order #${order.id}: what it holds, what it cost and where it is.` }),
    action: {
      input: z.object({ intent: z.literal('cancel'), confirm: z.literal('on', { error: 'Tick the box to cancel this order' }) }),
      run: async ({ c, db, params }) => {
        await cancelOrder(db, (await requireUser(c)).id, readPathId(c, params.id, 'No such order.')).finally(() => syncPageCache(c))
      },
    },
  }),
  definePage({
    path: '/admin/orders',
    page: () => import('./pages/orders.page.tsx'),
    use: [adminOnly()],
    load: async ({ db, query }) => ({ ...(await ordersPage(db, null, query)), title: 'All orders', admin: true }),
    head: () => ({ title: 'Orders · Admin · Tessera' }),
  }),
  definePage({
    path: '/admin/orders/:id',
    page: () => import('./pages/admin-order.page.tsx'),
    use: [adminOnly()],
    load: async ({ c, db, params }) => {
      const found = await findAnyOrder(db, readPathId(c, params.id, 'No such order.'))
      if (!found) notFound('No such order.')
      const { order, shipping, userId, currency } = found
      const price = (cents: number) => formatPrice(cents, currency)
      const lines = order.items.map((item) => ({ ...item, price: price(item.priceCents), lineTotal: price(item.priceCents * item.quantity) }))
      // The customer as they are now; an account deleted since shows as such.
      const customer = await userById(db, userId)
      return { order, lines, shipping, customer: customer ? { name: customer.name, email: customer.email } : null }
    },
    head: ({ order }) => ({ title: `Order #${order.id} · Admin · Tessera` }),
  }),
  definePage({
    path: '/dashboard',
    page: () => import('./pages/dashboard.page.tsx'),
    use: [signedIn()],
    load: async ({ c, db }) => {
      const user = await requireUser(c)
      return {
        profile: { name: user.name, email: user.email, memberSince: user.createdAt },
        // Deferred: each panel streams in when its query is done.
        orders: orderStats(db, user.id),
        notifications: unreadNotifications(db, user.id),
      }
    },
    head: () => ({ title: 'Dashboard · Tessera', description: 'Your orders at a glance, and your notifications.' }),
  }),
]
