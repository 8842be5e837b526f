import type { PageProps } from '#shared/domain'
import { Form, Link, Pagination, pageLinkParams, type PageLink } from '#shared/ui'
import { ProductFields } from '../components/product-form.tsx'
import { BOUNDED_RESULTS_NOTE, resultCount } from '../components/result-count.ts'
import { MAX_SEARCH_LENGTH } from '../products-url.ts'
import type { Category, ProductPage } from '../schemas.ts'

type Data = ProductPage & { q: string; categories: Category[]; notice: string | null }

export default function AdminProductsPage({ data }: PageProps<Data>) {
  const hrefFor = (link: PageLink) => {
    const query = new URLSearchParams({ ...(data.q && { q: data.q }), ...pageLinkParams(link) })
    return query.size ? `/admin/products?${query}` : '/admin/products' // the first page: no stray '?'
  }
  return (
    <section className="admin">
      <h1>Products</h1>
      {data.notice && (
        <p role="status" className="notice">
          {data.notice}
        </p>
      )}
      <Form method="get" action="/admin/products" role="search">
        <label>
          {/* Keyed by the search: another address (back, a link) shows its own, not what was typed before. */}
          Search <input type="search" name="q" defaultValue={data.q} key={data.q} maxLength={MAX_SEARCH_LENGTH} />
        </label>
        <button type="submit">Search</button>
      </Form>
      {data.q && (
        <div role="status">
          <p className="result-count">
            {resultCount(data.total, data.totalExact)} match “{data.q}”
          </p>
          {!data.totalExact && <p className="result-note">{BOUNDED_RESULTS_NOTE}</p>}
        </div>
      )}
      {data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Price</th>
              <th>Stock</th>
              <th>Category</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((product) => (
              <tr key={product.id}>
                <td>
                  <Link href={`/admin/products/${product.id}`}>{product.name}</Link>
                </td>
                <td>{product.price}</td>
                <td>{product.stock}</td>
                <td>{product.category}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination links={data.links} hrefFor={hrefFor} numbers={data.q && data.page !== null ? { page: data.page, pageCount: data.pageCount } : undefined} />
      <h2>New product</h2>
      <Form fields={{ intent: 'save' }} announce="Product created.">
        <ProductFields categories={data.categories} submitLabel="Create product" />
      </Form>
    </section>
  )
}
