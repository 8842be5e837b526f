import type { PageProps } from '#shared/domain'
import { Form, Link } from '#shared/ui'
import { Pagination } from '../components/pagination.tsx'
import { ProductFields } from '../components/product-form.tsx'
import type { Category, Product } from '../schemas.ts'

type Data = { q: string; page: number; pageCount: number; items: Product[]; categories: Category[] }

export default function AdminProductsPage({ data }: PageProps<Data>) {
  const hrefFor = (page: number) => `/admin/products?${new URLSearchParams({ ...(data.q && { q: data.q }), page: String(page) })}`
  return (
    <section className="admin">
      <h1>Products</h1>
      <Form method="get" action="/admin/products" role="search">
        <label>
          Search <input type="search" name="q" defaultValue={data.q} />
        </label>
        <button type="submit">Search</button>
      </Form>
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
      <Pagination page={data.page} pageCount={data.pageCount} hrefFor={hrefFor} />
      <h2>New product</h2>
      <Form fields={{ intent: 'save' }}>
        <ProductFields categories={data.categories} submitLabel="Create product" />
      </Form>
    </section>
  )
}
