import { FieldError, FormError, useFormResult } from '#shared/ui'
import type { Category, Product } from '../schemas.ts'

/** The admin's product fields; inside a `<Form>`, so errors and the input come back. */
export function ProductFields({ product, categories, submitLabel }: { product?: Product; categories: Category[]; submitLabel: string }) {
  const { pending, values } = useFormResult()
  const value = (name: string, fallback: string) => values?.[name] ?? fallback
  return (
    <>
      <input type="hidden" name="intent" value="save" />
      <FormError />
      <label>
        Name <input name="name" required defaultValue={value('name', product?.name ?? '')} />
      </label>
      <FieldError name="name" />
      <label>
        Slug <input name="slug" placeholder="from the name" defaultValue={value('slug', product?.slug ?? '')} />
      </label>
      <FieldError name="slug" />
      <label>
        Price (USD) <input name="price" inputMode="decimal" required defaultValue={value('price', product ? (product.priceCents / 100).toFixed(2) : '')} />
      </label>
      <FieldError name="price" />
      <label>
        Stock <input name="stock" type="number" min={0} required defaultValue={value('stock', String(product?.stock ?? 0))} />
      </label>
      <FieldError name="stock" />
      <label>
        Category
        <select name="category" defaultValue={value('category', product?.category ?? categories[0]?.slug ?? '')}>
          {categories.map((category) => (
            <option key={category.slug} value={category.slug}>
              {category.name}
            </option>
          ))}
        </select>
      </label>
      <FieldError name="category" />
      <label>
        Description <textarea name="description" rows={4} defaultValue={value('description', product?.description ?? '')} />
      </label>
      <FieldError name="description" />
      <button type="submit" disabled={pending}>
        {submitLabel}
      </button>
    </>
  )
}
