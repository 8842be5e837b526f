import type { SelectQueryBuilder } from 'kysely'
import type { Database, Db } from '#shared/db'
import type { Sort } from './schemas.ts'

/*
 * What the catalogue's listings (listing.server.ts) and searches (search-page.server.ts) build
 * their SQL from: the columns a page reads, each sort's key, a category's id.
 */

/** Products joined with their categories, as listings read them. */
export type Listed<O> = SelectQueryBuilder<Database, 'products' | 'categories', O>
export type ListedRow = { id: number; created_at: number; price_cents: number; name: string }

/** Products and their categories, before the columns are chosen. */
export const listed = (db: Db) => db.selectFrom('products').innerJoin('categories', 'categories.id', 'products.category_id')

/** A product page's columns (the API's products). */
export const productColumns = <O>(query: Listed<O>) => query.selectAll('products').select('categories.slug as category')
/** A card's columns (listing pages): a third less read, less to map. */
export const cardColumns = <O>(query: Listed<O>) =>
  query.select([
    'products.id',
    'products.slug',
    'products.name',
    'products.price_cents',
    'products.currency',
    'products.stock',
    'products.created_at',
    'categories.slug as category',
  ])

/** Each sort's key: the column a keyset page seeks in, its order, and its type in a cursor. Ties: id, newest first. */
const SORT_KEYS = {
  newest: { column: 'products.created_at', order: 'desc', type: 'int64', of: (row: ListedRow) => row.created_at },
  'price-asc': { column: 'products.price_cents', order: 'asc', type: 'int32', of: (row: ListedRow) => row.price_cents },
  'price-desc': { column: 'products.price_cents', order: 'desc', type: 'int32', of: (row: ListedRow) => row.price_cents },
  name: { column: 'products.name', order: 'asc', type: 'text', of: (row: ListedRow) => row.name },
} as const
/** Without a search there is nothing to rank: relevance lists the newest first. */
export const sortKeyOf = (sort: Sort) => SORT_KEYS[sort === 'relevance' ? 'newest' : sort]

/** A category's id, as a subquery of its slug. */
export const categoryIdOf = (db: Db, p: { category: string }) => db.selectFrom('categories').select('id').where('slug', '=', p.category)
export type CategoryId = ReturnType<typeof categoryIdOf>

/** One value per distinct shape, made on first use. */
export function memoByShape<Shape extends object, Value>(make: (shape: Shape) => Value): (shape: Shape) => Value {
  const made = new Map<string, Value>()
  return (shape) => {
    const key = Object.values(shape).join(' ')
    let value = made.get(key)
    if (value === undefined) made.set(key, (value = make(shape)))
    return value
  }
}
