import { Hono } from 'hono'
import { z } from 'zod'
import { HttpError, idText, syncPageCache, validate, type AppEnv } from '#shared/http'
import { requireUser, signedIn } from '../auth/index.ts'
import { putItem, readCart, removeItem } from './cart.server.ts'
import { orderStats, unreadNotifications } from './dashboard.server.ts'
import { cancelOrder, findOrder, listOrders } from './orders.server.ts'
import { fakeGateway } from './payments.server.ts'
import { placeOrder } from './place-order.server.ts'
import { addItemInput, checkoutInput, orderListQuery, setQuantityInput } from './schemas.ts'
import { shopperCartId } from './shopper-cart.server.ts'

const orderId = z.object({ id: idText })
const productParam = z.object({ productId: idText })
const idempotencyKey = z.string().trim().min(8).max(200).optional()
const noSuchOrder = () => new HttpError(404, 'not_found', 'No such order.')

/** `/api/cart`: the visitor's or user's cart. */
export const cartApi = new Hono<AppEnv>()
  .get('/', async (c) => c.json(await readCart(c.var.db, await shopperCartId(c))))
  .post('/items', validate('json', addItemInput), async (c) => {
    const { productId, quantity } = c.req.valid('json')
    const cartId = (await shopperCartId(c, { create: true }))!
    await putItem(c.var.db, cartId, productId, quantity, { add: true })
    return c.json(await readCart(c.var.db, cartId), 201)
  })
  .patch('/items/:productId', validate('param', productParam), validate('json', setQuantityInput), async (c) => {
    const cartId = await shopperCartId(c)
    if (!cartId) throw new HttpError(404, 'not_found', 'That product is not in your cart.')
    await putItem(c.var.db, cartId, c.req.valid('param').productId, c.req.valid('json').quantity)
    return c.json(await readCart(c.var.db, cartId))
  })
  .delete('/items/:productId', validate('param', productParam), async (c) => {
    const cartId = await shopperCartId(c)
    if (cartId) await removeItem(c.var.db, cartId, c.req.valid('param').productId)
    return c.json(await readCart(c.var.db, cartId))
  })

/** `/api/orders`: a signed-in user's orders. Someone else's order is a 404, never a 403. */
export const ordersApi = new Hono<AppEnv>()
  .use(signedIn())
  .post('/', validate('json', checkoutInput), async (c) => {
    const key = idempotencyKey.safeParse(c.req.header('Idempotency-Key'))
    if (!key.success) throw new HttpError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 8 to 200 characters.')
    const user = (await requireUser(c))
    const { order, replayed } = await placeOrder(c.var.db, {
      userId: user.id,
      cartId: await shopperCartId(c),
      input: c.req.valid('json'),
      idempotencyKey: key.data,
      gateway: fakeGateway,
      fulfilAfterMs: c.var.config.FULFILMENT_DELAY_MS,
    }).finally(() => syncPageCache(c)) // this process's cached pages show the new stock at once
    if (replayed) c.header('Idempotent-Replayed', 'true')
    return c.json({ order }, 201)
  })
  .get('/', validate('query', orderListQuery), async (c) => c.json(await listOrders(c.var.db, (await requireUser(c)).id, c.req.valid('query'))))
  .get('/:id', validate('param', orderId), async (c) => {
    const order = await findOrder(c.var.db, (await requireUser(c)).id, c.req.valid('param').id)
    if (!order) throw noSuchOrder()
    return c.json({ order })
  })
  .post('/:id/cancel', validate('param', orderId), async (c) => {
    const order = await cancelOrder(c.var.db, (await requireUser(c)).id, c.req.valid('param').id, fakeGateway).finally(() => syncPageCache(c))
    return c.json({ order })
  })

/**
 * `/api/dashboard`, the Backend-for-Frontend: profile, order statistics and unread notifications,
 * fetched in parallel and shaped for the UI (formatted money, ISO dates, item counts).
 */
export const dashboardApi = new Hono<AppEnv>().use(signedIn()).get('/', async (c) => {
  const user = (await requireUser(c))
  const [orders, notifications] = await Promise.all([orderStats(c.var.db, user.id), unreadNotifications(c.var.db, user.id)])
  return c.json({ profile: { name: user.name, email: user.email, memberSince: user.createdAt }, orders, notifications })
})
