import type { PageProps } from '#shared/domain'
import { Form, Link, TextField, useFormResult } from '#shared/ui'
import { ProductFields } from '../components/product-form.tsx'
import type { Category, Product } from '../schemas.ts'

export default function AdminProductPage({ data }: PageProps<{ product: Product; categories: Category[] }>) {
  const { product } = data
  return (
    <section className="admin">
      <p>
        <Link href="/admin/products">← All products</Link> · <Link href={`/products/${product.slug}`}>View in the store</Link>
      </p>
      <h1>Edit {product.name}</h1>
      {/* What the form shows goes back with it: a save over someone else's, or over the sales since, is refused (409). */}
      <Form resetOnSuccess={false} fields={{ intent: 'save' }} seen={{ version: product.updatedAt, stockShown: product.stock }}>
        <ProductFields product={product} categories={data.categories} submitLabel="Save changes" />
      </Form>
      <h2>Adjust stock</h2>
      <p>
        In stock: <strong data-testid="admin-stock">{product.stock}</strong>
      </p>
      <Form fields={{ intent: 'adjust-stock' }}>
        <StockFields />
      </Form>
      <h2>Delete</h2>
      <Form fields={{ intent: 'delete' }}>
        <button type="submit" className="danger">
          Delete this product
        </button>
      </Form>
    </section>
  )
}

function StockFields() {
  const { pending } = useFormResult()
  return (
    <>
      <TextField name="delta" label="Add or remove (e.g. 10 or -3)" type="number" required />
      <button type="submit" disabled={pending}>
        Adjust
      </button>
    </>
  )
}
