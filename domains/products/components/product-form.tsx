import { FieldError, TextField, useFieldAria, useFormResult } from '#shared/ui'
import type { Category, Product } from '../schemas.ts'

/** The admin's product fields; inside a `<Form fields={{ intent: 'save' }}>`, so errors and the input come back. */
export function ProductFields({ product, categories, submitLabel }: { product?: Product; categories: Category[]; submitLabel: string }) {
  const { pending, values } = useFormResult()
  const value = (name: string, fallback: string) => values?.[name] ?? fallback
  const categoryAria = useFieldAria('category')
  const descriptionAria = useFieldAria('description')
  return (
    <>
      <TextField name="name" label="Name" required defaultValue={product?.name ?? ''} />
      <TextField name="slug" label="Slug" placeholder="from the name" defaultValue={product?.slug ?? ''} />
      <TextField name="price" label="Price (USD)" inputMode="decimal" required defaultValue={product ? (product.priceCents / 100).toFixed(2) : ''} />
      <TextField name="stock" label="Stock" type="number" min={0} required defaultValue={String(product?.stock ?? 0)} />
      <label>
        Category
        <select name="category" defaultValue={value('category', product?.category ?? categories[0]?.slug ?? '')} {...categoryAria}>
          {categories.map((category) => (
            <option key={category.slug} value={category.slug}>
              {category.name}
            </option>
          ))}
        </select>
      </label>
      <FieldError name="category" />
      <label>
        Description <textarea name="description" rows={4} defaultValue={value('description', product?.description ?? '')} {...descriptionAria} />
      </label>
      <FieldError name="description" />
      <button type="submit" disabled={pending}>
        {submitLabel}
      </button>
    </>
  )
}
