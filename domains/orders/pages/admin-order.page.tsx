import type { PageProps } from '#shared/domain'
import { Link } from '#shared/ui'
import { OrderStatus } from '../components/order-summary.tsx'
import type { Order, Shipping } from '../schemas.ts'

type Line = Order['items'][number] & { price: string; lineTotal: string }

/** One order as an admin sees it: whose it is, where it goes, what it holds, what it cost. */
export default function AdminOrderPage({
  data,
}: PageProps<{ order: Order; lines: Line[]; shipping: Shipping; customer: { name: string; email: string } | null }>) {
  const { order, lines, shipping, customer } = data
  return (
    <section className="admin order">
      <p>
        <Link href="/admin/orders">← All orders</Link>
      </p>
      <h1>Order #{order.id}</h1>
      <p>
        <OrderStatus status={order.status} /> · {order.createdAt.slice(0, 10)}
      </p>
      <h2>Customer</h2>
      <p data-testid="order-customer">
        {customer ? (
          <>
            <bdi>{customer.name}</bdi> · {customer.email}
          </>
        ) : (
          'An account deleted since'
        )}
      </p>
      <h2>Ship to</h2>
      <address data-testid="order-shipping">
        <bdi>{shipping.name}</bdi>
        <br />
        {shipping.line1}
        {shipping.line2 && (
          <>
            <br />
            {shipping.line2}
          </>
        )}
        <br />
        {shipping.postalCode} {shipping.city}
        <br />
        {shipping.country}
      </address>
      <h2>Items</h2>
      <table>
        <thead>
          <tr>
            <th>Product</th>
            <th>Quantity</th>
            <th>Price</th>
            <th>Line total</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.productId}>
              <td>{line.name}</td>
              <td>{line.quantity}</td>
              <td>{line.price}</td>
              <td>{line.lineTotal}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Total: <strong data-testid="order-total">{order.total}</strong>
      </p>
    </section>
  )
}
