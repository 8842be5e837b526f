import { FieldError, Form, Link, SubmitButton, useFieldAria, useFormResult, type SlotProps } from '#shared/ui'

/**
 * Add to cart, in the products domain's 'product-actions' slot of a product's page. It posts to
 * the cart page's action (intent `add`): without JavaScript the shopper lands on the cart; with
 * it the product page stays and refreshes in place, the header's cart count with it.
 */
export default function AddToCart({ productId, stock }: SlotProps<'product-actions'>) {
  return (
    <Form action="/cart" className="add-to-cart" fields={{ intent: 'add', productId }} announce="Added to your cart.">
      <AddToCartFields stock={stock} />
    </Form>
  )
}

function AddToCartFields({ stock }: { stock: number }) {
  const { pending, submitted, ok } = useFormResult()
  const soldOut = stock <= 0
  return (
    <>
      <label>
        Quantity{' '}
        <input name="quantity" type="number" min={1} max={Math.max(1, Math.min(99, stock))} defaultValue={1} disabled={soldOut} {...useFieldAria('quantity')} />
      </label>
      <FieldError name="quantity" />
      <SubmitButton disabled={soldOut}>{soldOut ? 'Sold out' : pending ? 'Adding…' : 'Add to cart'}</SubmitButton>
      {/* Seen here; said by the page's live region (the Form's announce): a status added with its text is not announced everywhere. */}
      {submitted && ok && !pending && (
        <p className="form-done">
          Added to your cart. <Link href="/cart">View cart</Link>
        </p>
      )}
    </>
  )
}
