import type { PageProps } from '#shared/domain'
import { fieldMaxLength, Form, SubmitButton, TextField as Field, useFormResult } from '#shared/ui'
import { SHIPPING_LIMITS } from '../shipping-limits.ts'
import type { AddressDraft, Cart } from '../schemas.ts'

type Data = { cart: Cart; idempotencyKey: string; draftFor?: string; draft?: AddressDraft }

export default function CheckoutPage({ data }: PageProps<Data>) {
  return (
    <section className="checkout">
      <h1>Checkout</h1>
      {/* Said once the order's page shows: its "placed" line comes with the page, which is not announced. */}
      <Form resetOnSuccess={false} announce="Thank you! Your order is placed.">
        <CartSummary cart={data.cart} />
        {data.draft && (
          <p className="form-done" role="status">
            You were signed out before your order was placed, and nothing was charged. Your address is filled in as you typed it: enter your card again to place
            the order.
          </p>
        )}
        <CheckoutFields idempotencyKey={data.idempotencyKey} cartVersion={data.cart.version} draftFor={data.draftFor} draft={data.draft ?? {}} />
      </Form>
    </section>
  )
}

/**
 * What the order holds. Refused for an empty cart (placed in another tab), it shows none: with
 * JavaScript the page keeps the lines it loaded with, which are no longer in the cart.
 */
function CartSummary({ cart }: { cart: Cart }) {
  if (useFormResult().code === 'empty_cart') return null
  return (
    <>
      <ul>
        {cart.items.map((line) => (
          <li key={line.productId}>
            {line.quantity} × {line.name}: {line.lineTotal}
          </li>
        ))}
      </ul>
      <p>
        Total: <strong>{cart.total}</strong>
      </p>
    </>
  )
}

function CheckoutFields({
  idempotencyKey,
  cartVersion,
  draftFor,
  draft,
}: {
  idempotencyKey: string
  cartVersion: string
  draftFor?: string
  draft: AddressDraft
}) {
  const { pending } = useFormResult()
  return (
    <>
      {/* One key per checkout page: a double submit or a retry never places a second order. */}
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      {/* The cart this page shows: if it changes before the order is placed, nothing is charged. */}
      <input type="hidden" name="cartVersion" value={cartVersion} />
      {/* Whose checkout this is: should the session end before it is placed, the address typed is given back to this account alone. */}
      {draftFor && <input type="hidden" name="draftFor" value={draftFor} />}
      <fieldset>
        <legend>Shipping address</legend>
        <Field name="name" defaultValue={draft.name} maxLength={fieldMaxLength(SHIPPING_LIMITS.name)} label="Full name" autoComplete="name" required />
        <Field
          name="line1"
          defaultValue={draft.line1}
          maxLength={fieldMaxLength(SHIPPING_LIMITS.line1)}
          label="Address"
          autoComplete="address-line1"
          required
        />
        <Field name="line2" defaultValue={draft.line2} maxLength={fieldMaxLength(SHIPPING_LIMITS.line2)} label="Address line 2" autoComplete="address-line2" />
        <Field name="city" defaultValue={draft.city} maxLength={fieldMaxLength(SHIPPING_LIMITS.city)} label="City" autoComplete="address-level2" required />
        <Field
          name="postalCode"
          defaultValue={draft.postalCode}
          maxLength={fieldMaxLength(SHIPPING_LIMITS.postalCode)}
          label="Postal code"
          autoComplete="postal-code"
          required
        />
        <Field name="country" defaultValue={draft.country} label="Country code" autoComplete="country" placeholder="US" required maxLength={2} />
      </fieldset>
      <fieldset>
        <legend>Payment</legend>
        <Field name="cardNumber" label="Card number" autoComplete="cc-number" inputMode="numeric" placeholder="4242 4242 4242 4242" required />
        <Field name="cardExpMonth" label="Expiry month" autoComplete="cc-exp-month" inputMode="numeric" placeholder="12" required />
        <Field name="cardExpYear" label="Expiry year" autoComplete="cc-exp-year" inputMode="numeric" placeholder="2030" required />
        <Field name="cardCvc" label="CVC" autoComplete="cc-csc" inputMode="numeric" required />
      </fieldset>
      <SubmitButton>{pending ? 'Placing your order…' : 'Place order'}</SubmitButton>
    </>
  )
}
