import { useEffect, useRef } from 'react'
import type { PageProps } from '#shared/domain'
import { Form, Link, useRouter } from '#shared/ui'
import { Pagination } from '../components/pagination.tsx'
import { ProductGrid } from '../components/product-card.tsx'
import type { Category, ListQuery, ProductCard, Sort } from '../schemas.ts'

export type ProductsData = {
  query: Pick<ListQuery, 'q' | 'category' | 'sort' | 'page'>
  items: ProductCard[]
  total: number
  pageCount: number
  categories: Category[]
}

const sortLabels: Record<Sort, string> = { relevance: 'Best match', newest: 'Newest', 'price-asc': 'Price: low to high', 'price-desc': 'Price: high to low', name: 'Name' }

/**
 * The URL of a view of the catalogue: every view is a link. Its parameters in the page cache's
 * order (by name), so the address after a client navigation is the one clicked.
 */
export function productsUrl(query: ProductsData['query'], change: Partial<ProductsData['query']> = {}): string {
  const next = { ...query, page: 1, ...change }
  const params = new URLSearchParams()
  if (next.category) params.set('category', next.category)
  if (next.page > 1) params.set('page', String(next.page))
  if (next.q) params.set('q', next.q)
  if (next.sort) params.set('sort', next.sort)
  return params.size ? `/products?${params}` : '/products'
}

export default function ProductsPage({ data }: PageProps<ProductsData>) {
  const { query, items, total, pageCount, categories } = data
  return (
    <section className="catalogue">
      <h1>{query.q ? `Results for “${query.q}”` : 'All products'}</h1>
      <Form method="get" action="/products" className="search-form" role="search">
        <SearchBox query={query} />
        {query.category && <input type="hidden" name="category" value={query.category} />}
        <label>
          Sort
          <select name="sort" defaultValue={query.sort ?? ''} key={query.sort}>
            <option value="">{query.q ? sortLabels.relevance : sortLabels.newest}</option>
            {(Object.keys(sortLabels) as Sort[]).map((sort) => (
              <option key={sort} value={sort}>
                {sortLabels[sort]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Search</button>
      </Form>
      <nav className="category-filter" aria-label="Categories">
        <Link href={productsUrl(query, { category: undefined })} aria-current={query.category ? undefined : 'page'}>
          All
        </Link>
        {categories.map((category) => (
          <Link key={category.slug} href={productsUrl(query, { category: category.slug })} aria-current={query.category === category.slug ? 'page' : undefined}>
            {category.name}
          </Link>
        ))}
      </nav>
      <h2 className="result-count">
        {total} {total === 1 ? 'product' : 'products'}
      </h2>
      {items.length ? <ProductGrid products={items} /> : <p>Nothing matches. Try fewer or other words.</p>}
      <Pagination page={query.page} pageCount={pageCount} hrefFor={(page) => productsUrl(query, { page })} />
    </section>
  )
}

/** Searches as the shopper types (prefix matching), a moment after they pause. */
function SearchBox({ query }: { query: ProductsData['query'] }) {
  const router = useRouter()
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  useEffect(() => () => clearTimeout(timer.current), [])
  return (
    <label>
      Search
      <input
        type="search"
        name="q"
        defaultValue={query.q ?? ''}
        placeholder="Search products"
        onChange={(event) => {
          const q = event.currentTarget.value
          clearTimeout(timer.current)
          timer.current = setTimeout(() => void router?.navigate(productsUrl(query, { q: q.trim() || undefined }), { replace: true }), 250)
        }}
      />
    </label>
  )
}
