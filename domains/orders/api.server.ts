import { Hono } from 'hono'
import { z } from 'zod'
import { pathId } from '#shared/domain'
import { HttpError, LISTING_BAD_QUERY, operation, syncPageCache, type AppEnv } from '#shared/http'
import { requireUser } from '../auth/index.ts'
import { cartSchema, dashboardSchema, orderBody } from './api-schemas.ts'
import { addItem, MAX_LINES, readCart, removeItem, setQuantity } from './cart.server.ts'
import { orderStats, unreadNotifications } from './dashboard.server.ts'
import { cancelOrder, findOrder, listOrders } from './orders.server.ts'
import { gatewayOf } from './payments.server.ts'
import { placeOrder } from './place-order.server.ts'
import { addItemInput, checkoutInput, orderListQuery, orderPageSchema, setQuantityInput } from './schemas.ts'
import { shopperCart, shopperCartId, shopperCartMaker } from './shopper-cart.server.ts'

const orderId = z.object({ id: pathId() })
const productParam = z.object({ productId: pathId() })
const idempotencyKey = z.string().trim().min(8).max(200).optional().meta({
  description: 'One per checkout attempt: a retry with the same key and request returns the same order (`Idempotent-Replayed: true`), never a second charge.',
})
const noSuchOrder = () => new HttpError(404, 'not_found', 'No such order.')
const CART = 'The visitor’s cart (kept by a cookie) or, signed in, the user’s.'

/** `/api/cart`: the visitor's or user's cart. */
export const cartApi = new Hono<AppEnv>()
  .get(
    '/',
    operation({ id: 'cart.get', summary: 'Your cart', description: CART, responses: { 200: cartSchema } }, async (c) => {
      const { cartId, setAside } = await shopperCart(c)
      return c.json({ ...(await readCart(c.var.db, cartId)), setAside }, 200)
    }),
  )
  .post(
    '/items',
    operation(
      {
        id: 'cart.addItem',
        summary: 'Add a product to your cart',
        description: `${CART} Adds to the quantity already there. A cart holds at most ${MAX_LINES} different products.`,
        json: addItemInput,
        responses: {
          201: cartSchema,
          400: 'The input is not valid (`invalid_input`), or the line would hold more than 99 (`too_many`)',
          404: 'No such product',
          409: `Not that many in stock (\`insufficient_stock\`), or a new product for a cart holding ${MAX_LINES} already (\`cart_full\`)`,
        },
      },
      async (c) => {
        const { productId, quantity } = c.req.valid('json')
        const cartId = await addItem(c.var.db, shopperCartMaker(c), productId, quantity)
        return c.json(await readCart(c.var.db, cartId), 201)
      },
    ),
  )
  .patch(
    '/items/:productId',
    operation(
      {
        id: 'cart.setQuantity',
        summary: 'Change a quantity in your cart',
        params: productParam,
        json: setQuantityInput,
        responses: { 200: cartSchema, 404: 'That product is not in your cart', 409: 'Not that many in stock: `insufficient_stock`' },
      },
      async (c) => {
        const cartId = await shopperCartId(c)
        await setQuantity(c.var.db, cartId, c.req.valid('param').productId, c.req.valid('json').quantity)
        return c.json(await readCart(c.var.db, cartId), 200)
      },
    ),
  )
  .delete(
    '/items/:productId',
    operation(
      {
        id: 'cart.removeItem',
        summary: 'Take a product out of your cart',
        description: 'Answers the cart, whether or not the product was in it.',
        params: productParam,
        responses: { 200: cartSchema },
      },
      async (c) => {
        const cartId = await shopperCartId(c)
        if (cartId) await removeItem(c.var.db, cartId, c.req.valid('param').productId)
        return c.json(await readCart(c.var.db, cartId), 200)
      },
    ),
  )

/** `/api/orders`: a signed-in user's orders (each operation refuses anyone else: 401). Someone else's order is a 404, never a 403. */
export const ordersApi = new Hono<AppEnv>()
  .post(
    '/',
    operation(
      {
        id: 'orders.place',
        summary: 'Check out: order what is in your cart and pay',
        description: 'Claims the cart, reserves the stock and charges the card (test cards: `4242 4242 4242 4242` pays, `4000 0000 0000 0002` is declined).',
        access: 'signed-in',
        json: checkoutInput,
        headers: z.object({ 'Idempotency-Key': idempotencyKey }),
        replyHeaders: { 'Idempotent-Replayed': '`true` when this answer is the order an earlier request with the same key placed' },
        responses: {
          201: orderBody,
          400: 'The input is not valid (`invalid_input`), the cart is empty (`empty_cart`), its total is over $21,474,836.47 (`order_too_large`) or the Idempotency-Key is not valid (`invalid_idempotency_key`)',
          402: 'The card was declined: `payment_declined`; nothing was ordered and the cart is as it was',
          409: 'The cart changed since the `cartVersion` sent (`cart_changed`), not enough stock (`insufficient_stock`), or an order with this key is still being placed (`idempotency_key_in_use`, with `Retry-After`)',
          422: 'This Idempotency-Key was used for a different request: `idempotency_key_reused`',
        },
      },
      async (c) => {
        const key = idempotencyKey.safeParse(c.req.header('Idempotency-Key'))
        if (!key.success) throw new HttpError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 8 to 200 characters.')
        const user = await requireUser(c)
        const { order, replayed } = await placeOrder(c.var.db, {
          userId: user.id,
          cartId: await shopperCartId(c),
          input: c.req.valid('json'),
          idempotencyKey: key.data,
          gateway: gatewayOf(c.var.config),
          fulfilAfterMs: c.var.config.FULFILMENT_DELAY_MS,
        }).finally(() => syncPageCache(c)) // this process's cached pages show the new stock at once
        if (replayed) c.header('Idempotent-Replayed', 'true')
        return c.json({ order }, 201)
      },
    ),
  )
  .get(
    '/',
    operation(
      {
        id: 'orders.list',
        summary: 'Your orders, newest first',
        access: 'signed-in',
        query: orderListQuery,
        responses: { 200: orderPageSchema, 400: LISTING_BAD_QUERY },
      },
      async (c) => c.json(await listOrders(c.var.db, (await requireUser(c)).id, c.req.valid('query')), 200),
    ),
  )
  .get(
    '/:id',
    operation(
      {
        id: 'orders.get',
        summary: 'One of your orders',
        access: 'signed-in',
        params: orderId,
        responses: { 200: orderBody, 404: 'No such order (or not yours)' },
      },
      async (c) => {
        const order = await findOrder(c.var.db, (await requireUser(c)).id, c.req.valid('param').id)
        if (!order) throw noSuchOrder()
        return c.json({ order }, 200)
      },
    ),
  )
  .post(
    '/:id/cancel',
    operation(
      {
        id: 'orders.cancel',
        summary: 'Cancel an order',
        description:
          'A paid order that has not shipped: the stock is put back and the payment refunded (by the job queue, within seconds; the dashboard says when).',
        access: 'signed-in',
        params: orderId,
        responses: { 200: orderBody, 404: 'No such order (or not yours)', 409: 'Shipped or already cancelled: `not_cancellable`' },
      },
      async (c) => {
        const order = await cancelOrder(c.var.db, (await requireUser(c)).id, c.req.valid('param').id).finally(() => syncPageCache(c))
        return c.json({ order }, 200)
      },
    ),
  )

/**
 * `/api/dashboard`, the Backend-for-Frontend: profile, order statistics and unread notifications,
 * fetched in parallel and shaped for the UI (formatted money, ISO dates, item counts).
 */
export const dashboardApi = new Hono<AppEnv>().get(
  '/',
  operation(
    {
      id: 'dashboard.get',
      summary: 'Your dashboard: profile, order statistics, unread notifications',
      access: 'signed-in',
      responses: { 200: dashboardSchema },
    },
    async (c) => {
      const user = await requireUser(c)
      const [orders, notifications] = await Promise.all([orderStats(c.var.db, user.id), unreadNotifications(c.var.db, user.id)])
      return c.json({ profile: { name: user.name, email: user.email, memberSince: user.createdAt }, orders, notifications }, 200)
    },
  ),
)
