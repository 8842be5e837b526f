import { useEffect, useRef } from 'react'
import type { PageProps } from '#shared/domain'
import { Form, Link, Pagination, useRouter, type PageLink } from '#shared/ui'
import { ProductGrid } from '../components/product-card.tsx'
import { BOUNDED_RESULTS_NOTE, resultCount } from '../components/result-count.ts'
import { MAX_SEARCH_LENGTH, productsUrl, type View } from '../products-url.ts'
import type { Category, ProductCard, ProductPage, Sort } from '../schemas.ts'

export type ProductsData = Omit<ProductPage<ProductCard>, 'items'> & {
  query: View
  items: ProductCard[]
  categories: Category[]
  /** The name of the category listed (query.category), for the heading and the title. */
  categoryName?: string
  /** Where in the view this page is, as its one address says it (none: the first page). */
  at?: PageLink | undefined
}

const sortLabels: Record<Sort, string> = {
  relevance: 'Best match',
  newest: 'Newest',
  'price-asc': 'Price: low to high',
  'price-desc': 'Price: high to low',
  name: 'Name',
}

export default function ProductsPage({ data }: PageProps<ProductsData>) {
  const { query, items, total, totalExact, page, pageCount, links, categories, categoryName: category } = data
  const defaultSort: Sort = query.q ? 'relevance' : 'newest'
  return (
    <section className="catalogue">
      <h1>{query.q ? `Results for “${query.q}”${category ? ` in ${category}` : ''}` : (category ?? 'All products')}</h1>
      <Form method="get" action="/products" className="search-form" role="search">
        <SearchBox query={query} />
        {query.category && <input type="hidden" name="category" value={query.category} />}
        <label>
          Sort
          <select name="sort" defaultValue={query.sort === defaultSort ? '' : (query.sort ?? '')} key={query.sort}>
            {/* The view's default is the blank choice (a clean URL), listed once; best match only for a search. */}
            <option value="">{sortLabels[defaultSort]}</option>
            {(Object.keys(sortLabels) as Sort[])
              .filter((sort) => sort !== defaultSort && sort !== 'relevance')
              .map((sort) => (
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
      {/* A live region from the first render: results arriving as the shopper types are announced. */}
      <div role="status">
        <h2 className="result-count">{resultCount(total, totalExact)}</h2>
      </div>
      {!totalExact && <p className="result-note">{BOUNDED_RESULTS_NOTE}</p>}
      {items.length ? <ProductGrid products={items} /> : <p>Nothing matches. Try fewer or other words.</p>}
      <Pagination links={links} hrefFor={(link) => productsUrl(query, {}, link)} numbers={page === null || !query.q ? undefined : { page, pageCount }} />
    </section>
  )
}

/**
 * Searches as the shopper types (prefix matching), a moment after they pause. A search still
 * waiting for its pause goes at once when the box loses the focus: a link clicked meanwhile
 * navigates after it, and wins (the search, arriving later, would have taken the shopper back).
 */
function SearchBox({ query }: { query: View }) {
  const router = useRouter()
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const input = useRef<HTMLInputElement>(null)
  const wentBack = useRef(false)
  /** Whether this typing has searched yet: its first search is a new history entry, the next ones replace it. */
  const typedSearch = useRef(false)
  const search = (q: string) => {
    clearTimeout(timer.current)
    timer.current = undefined
    // Back goes to where the shopper began typing (page 2, a category), not past it.
    void router?.navigate(productsUrl(query, { q: q.trim() || undefined }), { replace: typedSearch.current, keepFocus: true })
    typedSearch.current = true
  }
  useEffect(() => () => clearTimeout(timer.current), [])
  // The page stays mounted from one query to the next: the box follows the address (back or
  // forward, a link) but not the addresses its own typing leads to, which may lag the keys.
  useEffect(() => {
    const onPop = () => {
      wentBack.current = true
      typedSearch.current = false
      // Back or forward is where the shopper goes: a search still waiting would replace it.
      clearTimeout(timer.current)
      timer.current = undefined
    }
    addEventListener('popstate', onPop)
    return () => removeEventListener('popstate', onPop)
  }, [])
  // Not at hydration: on a slow phone the box holds what was typed before it, not yet searched.
  const shownQuery = useRef(query.q)
  useEffect(() => {
    if (shownQuery.current === query.q) return
    shownQuery.current = query.q
    if (input.current && (wentBack.current || input.current !== document.activeElement)) input.current.value = query.q ?? ''
    wentBack.current = false
  }, [query.q])
  return (
    <label>
      Search
      <input
        ref={input}
        type="search"
        name="q"
        maxLength={MAX_SEARCH_LENGTH}
        defaultValue={query.q ?? ''}
        placeholder="Search products"
        onChange={(event) => {
          wentBack.current = false
          const q = event.currentTarget.value
          clearTimeout(timer.current)
          timer.current = setTimeout(() => search(q), 250)
        }}
        onBlur={(event) => {
          if (timer.current !== undefined) search(event.currentTarget.value)
          typedSearch.current = false // done typing: the next search (after a page link, say) is an entry of its own
        }}
      />
    </label>
  )
}
