import { FieldError, fieldMaxLength, SubmitButton, TextField, useFieldAria, useFormResult } from '#shared/ui'
import { PRODUCT_LIMITS } from '../product-limits.ts'
import type { Category, Product } from '../schemas.ts'

/** The admin's product fields; inside a `<Form fields={{ intent: 'save' }}>`, so errors and the input come back. */
export function ProductFields({ product, categories, submitLabel }: { product?: Product; categories: Category[]; submitLabel: string }) {
  const { values, code } = useFormResult()
  const value = (name: string, fallback: string) => values?.[name] ?? fallback
  const categoryAria = useFieldAria('category')
  const descriptionAria = useFieldAria('description')
  return (
    <>
      <TextField name="name" label="Name" required maxLength={fieldMaxLength(PRODUCT_LIMITS.name)} defaultValue={product?.name ?? ''} />
      <TextField name="slug" label="Slug" placeholder="from the name" maxLength={80} defaultValue={product?.slug ?? ''} />
      <TextField name="price" label="Price (USD)" inputMode="decimal" required defaultValue={product ? (product.priceCents / 100).toFixed(2) : ''} />
      <TextField name="stock" label="Stock" type="number" min={0} required defaultValue={String(product?.stock ?? 0)} />
      {product && <input type="hidden" name="stockShown" value={stockShown(product, values, code)} />}
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
        Description{' '}
        <textarea
          name="description"
          rows={4}
          maxLength={fieldMaxLength(PRODUCT_LIMITS.description)}
          defaultValue={value('description', product?.description ?? '')}
          {...descriptionAria}
        />
      </label>
      <FieldError name="description" />
      <SubmitButton>{submitLabel}</SubmitButton>
    </>
  )
}

/**
 * The stock the Stock field was filled from, posted with it: the same stock posted back is left
 * alone, so the sales since stay counted. After a refusal the field shows what was posted (a stock
 * the admin never touched included), so the stock it was filled from goes with it, whatever the
 * page's data says now; unless the refusal was the stock itself having changed (409
 * `stock_changed`, which told the admin today's count: the page's). Not in Form's `seen`, which
 * takes the page's newer values after any refusal.
 */
function stockShown(product: Product, posted: Record<string, string> | undefined, code: string | undefined): string {
  return code !== 'stock_changed' && posted?.stockShown !== undefined ? posted.stockShown : String(product.stock)
}
