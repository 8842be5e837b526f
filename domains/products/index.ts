import { defineDomain, type MigrationModule } from '#shared/domain'
import { productsApi } from './api.server.ts'
import { productRoutes } from './routes.server.ts'
import { seedCommand } from './seed-command.server.ts'
import { startProducts } from './start.server.ts'
import { productSitemap } from './sitemap.server.ts'

/** The catalogue: browsing, search, product pages and its admin. Orders use the exports below. */
export default defineDomain({
  name: 'products',
  api: productsApi,
  apiDescriptions: {
    products:
      'The catalogue: listing and search (ranked, prefix matching, paged by `links`), one product by id or slug, and for admins adding, changing and removing products. Prices in whole cents.',
  },
  routes: productRoutes,
  slots: ['product-actions'], // declared in slots.ts: the orders domain's add-to-cart fills it
  migrations: import.meta.glob<MigrationModule>('./migrations/*.server.ts', { eager: true }),
  nav: [
    { href: '/products', label: 'Products', order: 10 },
    { href: '/admin/products', label: 'Admin', show: 'admin', order: 200 },
  ],
  start: startProducts,
  commands: { seed: seedCommand },
  noCrawl: ['/admin'],
  sitemap: productSitemap,
})

export { findProduct, getProductsByIds } from './catalogue.server.ts'
export { productsForSeededOrders } from './seed.server.ts'
export { reserveStock, releaseStock, InsufficientStockError, type StockLine } from './stock.server.ts'
export type { Product } from './schemas.ts'
export { formatPrice } from './money.ts'
