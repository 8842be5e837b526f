import type { PageProps } from '#shared/domain'
import { FieldError, Form, Link, useFieldAria, useFormResult } from '#shared/ui'
import type { Cart, CartLine } from '../schemas.ts'

export default function CartPage({ data }: PageProps<{ cart: Cart }>) {
  const { cart } = data
  return (
    <section className="cart">
      <h1>Your cart</h1>
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

function CartRow({ line }: { line: CartLine }) {
  return (
    <tr>
      <td>
        <Link href={`/products/${line.slug}`}>{line.name}</Link>
      </td>
      <td>{line.price}</td>
      <td>
        <Form resetOnSuccess={false} className="inline-form" fields={{ intent: 'update', productId: line.productId }}>
          <QuantityFields line={line} />
        </Form>
      </td>
      <td>{line.lineTotal}</td>
      <td>
        <Form className="inline-form" fields={{ intent: 'remove', productId: line.productId }}>
          <button type="submit" className="link-button" aria-label={`Remove ${line.name}`}>
            Remove
          </button>
        </Form>
      </td>
    </tr>
  )
}

function QuantityFields({ line }: { line: CartLine }) {
  const { pending } = useFormResult()
  const aria = useFieldAria('quantity')
  return (
    <>
      <input
        name="quantity"
        type="number"
        min={1}
        max={99}
        defaultValue={line.quantity}
        key={line.quantity}
        aria-label={`Quantity of ${line.name}`}
        {...aria}
      />
      <button type="submit" disabled={pending}>
        Update
      </button>
      <FieldError name="quantity" />
    </>
  )
}
