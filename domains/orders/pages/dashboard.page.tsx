import { use } from 'react'
import type { PageProps } from '#shared/domain'
import { Link, PagePart } from '#shared/ui'
import { OrderStatus } from '../components/order-summary.tsx'
import { orderStatsLine } from '../order-stats-line.ts'
import type { Notification, OrderStats } from '../schemas.ts'

type Data = { profile: { name: string; email: string; memberSince: string }; orders: Promise<OrderStats>; notifications: Promise<Notification[]> }

/** Each panel streams in as its data is ready (or says it could not), the profile with the first bytes. */
export default function DashboardPage({ data }: PageProps<Data>) {
  return (
    <section className="dashboard">
      <h1>Hello, {data.profile.name}</h1>
      <p>
        {data.profile.email} · member since {data.profile.memberSince.slice(0, 10)}
      </p>
      <div className="panels">
        <PagePart
          loading={<p className="skeleton">Loading your orders…</p>}
          failed="Your orders could not be shown just now. Reload the page to try again."
          data={data.orders}
        >
          <OrdersPanel orders={data.orders} />
        </PagePart>
        <PagePart
          loading={<p className="skeleton">Loading notifications…</p>}
          failed="Your notifications could not be shown just now. Reload the page to try again."
          data={data.notifications}
        >
          <NotificationsPanel notifications={data.notifications} />
        </PagePart>
      </div>
    </section>
  )
}

function OrdersPanel({ orders }: { orders: Data['orders'] }) {
  const stats = use(orders)
  return (
    <div className="panel" data-testid="orders-panel">
      <h2>Your orders</h2>
      <p>{orderStatsLine(stats)}</p>
      <ul>
        {stats.recent.map((order) => (
          <li key={order.id}>
            <Link href={`/orders/${order.id}`}>#{order.id}</Link>
            {` · ${order.itemCount} ${order.itemCount === 1 ? 'item' : 'items'} · ${order.total} · `}
            <OrderStatus status={order.status as 'paid'} />
          </li>
        ))}
      </ul>
    </div>
  )
}

function NotificationsPanel({ notifications }: { notifications: Data['notifications'] }) {
  const items = use(notifications)
  return (
    <div className="panel" data-testid="notifications-panel">
      <h2>Notifications</h2>
      {items.length === 0 ? (
        <p>Nothing new.</p>
      ) : (
        <ul>
          {items.map((item) => (
            <li key={item.id}>{item.message}</li>
          ))}
        </ul>
      )}
    </div>
  )
}
