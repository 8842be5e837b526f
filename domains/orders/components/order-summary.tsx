import { Link } from '#shared/ui'
import type { Order } from '../schemas.ts'

const labels: Record<Order['status'], string> = { pending: 'Awaiting payment', paid: 'Paid', fulfilled: 'Shipped', cancelled: 'Cancelled' }

export function OrderStatus({ status }: { status: Order['status'] }) {
  return <span className={`order-status status-${status}`}>{labels[status]}</span>
}

export function OrderList({ orders, hrefFor }: { orders: Order[]; hrefFor: (order: Order) => string }) {
  if (orders.length === 0) return <p>No orders yet.</p>
  return (
    <table>
      <thead>
        <tr>
          <th>Order</th>
          <th>Date</th>
          <th>Items</th>
          <th>Total</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((order) => (
          <tr key={order.id}>
            <td>
              <Link href={hrefFor(order)}>#{order.id}</Link>
            </td>
            <td>{order.createdAt.slice(0, 10)}</td>
            <td>{order.items.reduce((sum, item) => sum + item.quantity, 0)}</td>
            <td>{order.total}</td>
            <td>
              <OrderStatus status={order.status} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
