import type { PageProps } from '#shared/domain'
import { FieldError, Form, Link, SubmitButton, TextField, useFieldAria } from '#shared/ui'
import { ProductFields } from '../components/product-form.tsx'
import type { Category, Product } from '../schemas.ts'

export default function AdminProductPage({ data }: PageProps<{ product: Product; categories: Category[]; notice: string | null }>) {
  const { product } = data
  return (
    <section className="admin">
      <p>
        <Link href="/admin/products">← All products</Link> · <Link href={`/products/${product.slug}`}>View in the store</Link>
      </p>
      <h1>Edit {product.name}</h1>
      {data.notice && (
        <p role="status" className="notice">
          {data.notice}
        </p>
      )}
      {/* What the form shows goes back with it: a save over someone else's, or over the sales since, is refused (409); the stock it showed, see ProductFields. */}
      <Form resetOnSuccess={false} fields={{ intent: 'save' }} seen={{ version: product.updatedAt }} announce="Changes saved.">
        <ProductFields product={product} categories={data.categories} submitLabel="Save changes" />
      </Form>
      <h2>Adjust stock</h2>
      <p>
        In stock: <strong data-testid="admin-stock">{product.stock}</strong>
      </p>
      <Form fields={{ intent: 'adjust-stock' }} announce="Stock adjusted.">
        <TextField name="delta" label="Add or remove (e.g. 10 or -3)" type="number" required />
        <SubmitButton>Adjust</SubmitButton>
      </Form>
      <h2>Delete</h2>
      <Form fields={{ intent: 'delete' }} announce="Product deleted.">
        <DeleteFields />
      </Form>
    </section>
  )
}

function DeleteFields() {
  return (
    <>
      <label>
        <input type="checkbox" name="confirm" required {...useFieldAria('confirm')} /> Yes, delete it for good: this cannot be undone
      </label>
      <FieldError name="confirm" />
      <SubmitButton className="danger">Delete this product</SubmitButton>
    </>
  )
}
