/**
 * The comparison apps' data (Next.js, Vike and the bare ceiling): the same reads Tessera's
 * /products, product page and product API make, as plain prepared SQL on the same SQLite file
 * (DATABASE_PATH, read-only), mapped with Tessera's own functions so every app renders the same
 * markup from the same values. Plain JavaScript because these apps' packages are installed only
 * when the benchmark runs (and the repo's typecheck covers every .ts file).
 */
import SQLite from 'better-sqlite3'
import { toProduct } from '../../domains/products/catalogue.server.ts'
import { formatPrice } from '../../domains/products/money.ts'

/** Tessera's page size on /products (PAGE_SIZE in domains/products/routes.server.ts). */
const PAGE_SIZE = 48
const product = 'select p.*, c.slug as category from products p join categories c on c.id = p.category_id'

/**
 * The header's links for a visitor who is not signed in: what Tessera's domains contribute
 * (products, orders, auth), in their order. The benchmark checks Tessera renders the same.
 */
export const anonymousNav = [
  { href: '/products', label: 'Products', order: 10 },
  { href: '/cart', label: 'Cart', order: 20, badge: { name: 'cart', units: ['item', 'items'] }, pinned: true },
  { href: '/login', label: 'Log in', show: 'anonymous', order: 100 },
  { href: '/register', label: 'Register', show: 'anonymous', order: 101 },
]

let queries
// Opened on first use, not on import: `next build` imports page modules without a database.
function db() {
  if (queries) return queries
  const sqlite = new SQLite(process.env.DATABASE_PATH, { readonly: true })
  queries = {
    cards: sqlite.prepare(
      `select p.id, p.slug, p.name, p.price_cents, p.currency, p.stock, c.slug as category from products p join categories c on c.id = p.category_id order by p.created_at desc, p.id desc limit ${PAGE_SIZE}`,
    ),
    count: sqlite.prepare('select count(*) as total from products'),
    categories: sqlite.prepare('select slug, name from categories order by name'),
    byId: sqlite.prepare(`${product} where p.id = ?`),
    bySlug: sqlite.prepare(`select p.*, c.slug as category, c.name as category_name from products p join categories c on c.id = p.category_id where p.slug = ?`),
  }
  return queries
}

/** The first page of /products: the props Tessera's ProductsPage receives (its `data`). */
export function productsPageData() {
  const q = db()
  const items = q.cards.all().map((row) => ({ id: row.id, slug: row.slug, name: row.name, price: formatPrice(row.price_cents, row.currency), stock: row.stock, category: row.category }))
  const { total } = q.count.get()
  return { query: { page: 1 }, items, total, page: 1, pageCount: Math.ceil(total / PAGE_SIZE), categories: q.categories.all() }
}

/** The /products page's head, as Tessera's products domain writes it. */
export const productsHead = (data) => ({ title: 'All products · Tessera', description: `${data.total} products` })

/** One product, as GET /api/products/:id answers it; undefined when there is none. */
export function productById(id) {
  const row = db().byId.get(id)
  return row && toProduct(row)
}

/** A product page's data, as Tessera's findProductPage reads it (the category's name for the way back); undefined when there is none. */
export function productPageData(slug) {
  const row = db().bySlug.get(slug)
  return row && { product: toProduct(row), category: { slug: row.category, name: row.category_name } }
}
