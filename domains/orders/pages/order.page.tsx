import type { PageProps } from '#shared/domain'
import { FieldError, Form, Link, PageRefusal, SubmitButton, useFieldAria, usePageView } from '#shared/ui'
import { OrderStatus } from '../components/order-summary.tsx'
import type { Order } from '../schemas.ts'

export default function OrderPage({ data }: PageProps<{ order: Order; placed: boolean }>) {
  const { order } = data
  return (
    <section className="order">
      {/* Only while it stands: `?placed` stays in the address after a cancel, a reload, a bookmark. */}
      {data.placed && order.status !== 'cancelled' && <p role="status">Thank you! Your order is placed.</p>}
      <h1>Order #{order.id}</h1>
      <p>
        <OrderStatus status={order.status} /> · {order.createdAt.slice(0, 10)}
      </p>
      <ul>
        {order.items.map((item) => (
          <li key={item.productId}>
            {item.quantity} × {item.name}
          </li>
        ))}
      </ul>
      <p>
        Total: <strong data-testid="order-total">{order.total}</strong>
      </p>
      {order.status === 'paid' ? (
        <Form fields={{ intent: 'cancel' }} announce="Order cancelled: the payment is refunded.">
          <CancelFields />
        </Form>
      ) : (
        <RefusedCancel />
      )}
      <Link href="/orders" className="back-link">
        All your orders
      </Link>
    </section>
  )
}

/**
 * A cancel refused because the order changed since the page showed it (shipped, or cancelled in
 * another tab): the page comes back without the form, so the page says why.
 */
function RefusedCancel() {
  const action = usePageView().action
  if (!action || action.ok || action.values?.intent !== 'cancel') return null
  return <PageRefusal>Not cancelled: {action.formError ?? 'it could not be done.'}</PageRefusal>
}

/** Cancelling cannot be undone: one key press is not enough (WCAG 3.3.4), the box must be ticked first. */
function CancelFields() {
  return (
    <>
      <label>
        <input type="checkbox" name="confirm" required {...useFieldAria('confirm')} /> Yes, cancel it: the payment is refunded, and this cannot be undone
      </label>
      <FieldError name="confirm" />
      <SubmitButton className="danger">Cancel this order</SubmitButton>
    </>
  )
}
