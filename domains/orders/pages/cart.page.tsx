import type { PageProps } from '#shared/domain'
import { FieldError, Form, Link, SubmitButton, useFieldAria, useFormResult, usePageView, PageRefusal } from '#shared/ui'
import { MAX_LINES } from '../cart-limit.ts'
import type { Cart, CartLine } from '../schemas.ts'

export default function CartPage({ data }: PageProps<{ cart: Cart }>) {
  const { cart } = data
  return (
    <section className="cart">
      <h1>Your cart</h1>
      <RefusedChange cart={cart} />
      <SetAside count={cart.setAside ?? 0} />
      {cart.items.length === 0 ? (
        <p>
          Your cart is empty. <Link href="/products">Find something you like</Link>.
        </p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th>Product</th>
                <th>Price</th>
                <th>Quantity</th>
                <th>Total</th>
                <td />
              </tr>
            </thead>
            <tbody>
              {cart.items.map((line) => (
                <CartRow key={line.productId} line={line} />
              ))}
            </tbody>
          </table>
          <p className="cart-total">
            Total: <strong data-testid="cart-total">{cart.total}</strong>
          </p>
          <Link className="button" href="/checkout">
            Check out
          </Link>
        </>
      )}
    </section>
  )
}

/** Products of merged carts (signed in with a full cart, or tabs' carts made at once) that did not fit: kept, never dropped unsaid. */
function SetAside({ count }: { count: number }) {
  if (count === 0) return null
  const products = count === 1 ? '1 more product' : `${count} more products`
  return (
    <p className="form-done" role="status">
      {`${products} did not fit: a cart holds ${MAX_LINES} different products at most. They are kept for you, and join this cart as you remove products or place your order.`}
    </p>
  )
}

function CartRow({ line }: { line: CartLine }) {
  return (
    <tr>
      <td>
        <Link href={`/products/${line.slug}`}>{line.name}</Link>
      </td>
      <td>{line.price}</td>
      <td>
        <Form
          resetOnSuccess={false}
          className="inline-form"
          fields={{ intent: 'update', productId: line.productId }}
          announce={`Quantity of ${line.name} updated.`}
        >
          <QuantityFields line={line} />
        </Form>
      </td>
      <td>
        {line.lineTotal}
        <StockWarning line={line} />
      </td>
      <td>
        <Form className="inline-form" fields={{ intent: 'remove', productId: line.productId }} announce={`${line.name} removed from your cart.`}>
          <button type="submit" className="link-button" aria-label={`Remove ${line.name}`}>
            Remove
          </button>
        </Form>
      </td>
    </tr>
  )
}

/**
 * A change refused without JavaScript whose form is not on this page to show it: an "Add to cart"
 * posted from a product page, or an update of a line removed meanwhile (in another tab). With
 * JavaScript the form that sent it shows it.
 */
function RefusedChange({ cart }: { cart: Cart }) {
  const action = usePageView()?.action
  const intent = action?.values?.intent
  const name = cart.items.find((line) => String(line.productId) === action?.values?.productId)?.name
  if (!action || action.ok || !(intent === 'add' || (intent === 'update' && !name))) return null
  const reason = action.formError ?? Object.values(action.fieldErrors ?? {}).flat()[0] ?? 'It could not be done.'
  return (
    <PageRefusal>
      {intent === 'add' ? 'Not added to your cart' : 'Not changed'}
      {name ? ` (${name})` : ''}: {reason}
    </PageRefusal>
  )
}

/** A line the stock no longer covers (sold since it was added, or two carts merged at sign-in): checkout would refuse it. */
function StockWarning({ line }: { line: CartLine }) {
  if (line.quantity <= line.stock) return null
  return <p className="form-error">{line.stock > 0 ? `Only ${line.stock} left: lower the quantity to check out.` : 'Sold out: remove it to check out.'}</p>
}

function QuantityFields({ line }: { line: CartLine }) {
  const aria = useFieldAria('quantity')
  // Refused ("Only 34 left"), the field shows what was typed, as with JavaScript, not the old quantity.
  const { ok, values } = useFormResult()
  const shown = (!ok && values?.quantity) || line.quantity
  return (
    <>
      <input name="quantity" type="number" min={1} max={99} defaultValue={shown} key={shown} aria-label={`Quantity of ${line.name}`} {...aria} />
      <SubmitButton>Update</SubmitButton>
      <FieldError name="quantity" />
    </>
  )
}
