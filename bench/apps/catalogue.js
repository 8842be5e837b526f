/**
 * The comparison apps' data: the bare ceiling's SQL (bench/bare/server.tsx) and Tessera's own row
 * mapping, on the same SQLite file (DATABASE_PATH), read-only. Plain JavaScript because the
 * repo's `npm run typecheck` covers every .ts file and these apps' packages are installed only
 * when the benchmark runs.
 */
import SQLite from 'better-sqlite3'
import { toProduct } from '../../domains/products/catalogue.server.ts'
import { toCard } from '../../domains/products/schemas.ts'

const select = 'select p.*, c.slug as category from products p join categories c on c.id = p.category_id'
let queries

// Opened on first use, not on import: `next build` imports page modules without a database.
function db() {
  if (queries) return queries
  const sqlite = new SQLite(process.env.DATABASE_PATH, { readonly: true })
  queries = {
    page: sqlite.prepare(`${select} order by p.created_at desc, p.id desc limit 48`),
    byId: sqlite.prepare(`${select} where p.id = ?`),
    bySlug: sqlite.prepare(`${select} where p.slug = ?`),
  }
  return queries
}

/** The 48 newest products as cards: what /products renders (and what Tessera sends to the browser). */
export const productCards = () => db().page.all().map((row) => toCard(toProduct(row)))

/** One product, as GET /api/products/:id answers it; undefined when there is none. */
export function productById(id) {
  const row = db().byId.get(id)
  return row && toProduct(row)
}

export function productBySlug(slug) {
  const row = db().bySlug.get(slug)
  return row && toProduct(row)
}
