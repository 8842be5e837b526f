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
import { encodeCursor } from '../../shared/db/keyset.ts'

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
      `select p.id, p.slug, p.name, p.price_cents, p.currency, p.stock, p.created_at, c.slug as category from products p join categories c on c.id = p.category_id order by p.created_at desc, p.id desc limit ${PAGE_SIZE + 1}`,
    ),
    count: sqlite.prepare('select count(*) as total from products'),
    categories: sqlite.prepare('select slug, name from categories order by name'),
    byId: sqlite.prepare(`${product} where p.id = ?`),
    bySlug: sqlite.prepare(`select p.*, c.slug as category, c.name as category_name from products p join categories c on c.id = p.category_id where p.slug = ?`),
  }
  return queries
}

/**
 * The first page of /products: the props Tessera's ProductsPage receives (its `data`), its links
 * as Tessera's keyset listing makes them (one row more than a page says whether a next page
 * exists; the next page's cursor is the last card's created_at and id).
 */
export function productsPageData() {
  const q = db()
  const rows = q.cards.all()
  const cards = rows.slice(0, PAGE_SIZE)
  const items = cards.map((row) => ({ id: row.id, slug: row.slug, name: row.name, price: formatPrice(row.price_cents, row.currency), stock: row.stock, category: row.category }))
  const last = cards.at(-1)
  // What #shared/ui's linksAround gives the first page (not imported: the module holds client
  // components, which Next.js refuses in a server component's imports).
  const more = rows.length > PAGE_SIZE && last
  const links = { first: null, previous: null, next: more ? { after: encodeCursor(last.created_at, last.id) } : null, last: more ? { page: 'last' } : null }
  const { total } = q.count.get()
  return { query: {}, items, total, totalExact: true, page: 1, pageCount: Math.ceil(total / PAGE_SIZE), links, categories: q.categories.all() }
}

/** The /products page's head, as Tessera's products domain writes it. */
export const productsHead = (data) => ({ title: 'All products · Tessera', description: `${data.total}${data.totalExact ? '' : '+'} products` })

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
