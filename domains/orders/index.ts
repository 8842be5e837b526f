import { defineDomain, type MigrationModule } from '#shared/domain'
import { cartApi, dashboardApi, ordersApi } from './api.server.ts'
import { CART_COOKIES } from './cart-cookie.server.ts'
import { CART_BADGE, cartItemCount } from './cart-count.server.ts'
import { orderJobs } from './jobs.server.ts'
import { orderRoutes } from './routes.server.ts'
import { seedOrdersCommand } from './seed-orders.server.ts'
import { startOrders } from './start.server.ts'

/** Cart, checkout, orders, their background jobs, and the shopper's dashboard. */
export default defineDomain({
  name: 'orders',
  api: ordersApi,
  apis: { cart: cartApi, dashboard: dashboardApi },
  apiDescriptions: {
    orders:
      'Checking out a cart (card charged once per `Idempotency-Key`), your orders newest first, and cancelling a paid order before it ships (refunded, stock put back). Signed in.',
    cart: 'The shopping cart: a visitor’s is kept by a `tessera_cart_…` cookie and merges into the account at sign-in.',
    dashboard: 'A signed-in shopper’s overview: profile, order statistics and unread notifications.',
  },
  routes: orderRoutes,
  migrations: import.meta.glob<MigrationModule>('./migrations/*.server.ts', { eager: true }),
  dependsOn: ['auth', 'products'], // orders reference users and products
  jobs: orderJobs,
  start: startOrders,
  commands: { 'seed-orders': seedOrdersCommand },
  nav: [
    // Pinned: the count stays in view on a phone, outside the menu.
    { href: '/cart', label: 'Cart', order: 20, badge: { name: CART_BADGE, units: ['item', 'items'] }, pinned: true },
    { href: '/orders', label: 'Orders', show: 'signed-in', order: 30 },
    { href: '/dashboard', label: 'Dashboard', show: 'signed-in', order: 31 },
    { href: '/admin/orders', label: 'All orders', show: 'admin', order: 201 },
  ],
  badges: { [CART_BADGE]: cartItemCount },
  // A visitor's cart makes their pages theirs: a cached page would show another visitor's count.
  personalCookies: CART_COOKIES,
  noCrawl: ['/cart', '/checkout', '/orders', '/dashboard'],
})

export type { Order } from './schemas.ts'
export { hasPurchased } from './orders.server.ts'
/** The cart API's type, for other domains' typed clients (`apiClient<CartApi>('cart')`). */
export type CartApi = typeof cartApi
