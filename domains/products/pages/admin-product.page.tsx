import type { PageProps } from '#shared/domain'
import { FieldError, Form, Link, useFormResult } from '#shared/ui'
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
      <Form resetOnSuccess={false}>
        <ProductFields product={product} categories={data.categories} submitLabel="Save changes" />
      </Form>
      <h2>Adjust stock</h2>
      <p>
        In stock: <strong data-testid="admin-stock">{product.stock}</strong>
      </p>
      <Form>
        <StockFields />
      </Form>
      <h2>Delete</h2>
      <Form>
        <input type="hidden" name="intent" value="delete" />
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
      <input type="hidden" name="intent" value="adjust-stock" />
      <label>
        Add or remove (e.g. 10 or -3) <input name="delta" type="number" required />
      </label>
      <FieldError name="delta" />
      <button type="submit" disabled={pending}>
        Adjust
      </button>
    </>
  )
}
