import type { PageProps } from '#shared/domain'
import { Link } from '#shared/ui'
import { OrderList } from '../components/order-summary.tsx'
import type { Order } from '../schemas.ts'

export default function OrdersPage({ data }: PageProps<{ items: Order[]; page: number; pageCount: number; title: string; admin: boolean }>) {
  const base = data.admin ? '/admin/orders' : '/orders'
  return (
    <section>
      <h1>{data.title}</h1>
      <OrderList orders={data.items} hrefFor={data.admin ? undefined : (order) => `/orders/${order.id}`} />
      <p>
        {data.page > 1 && <Link href={`${base}?page=${data.page - 1}`}>← Newer</Link>} {data.page < data.pageCount && <Link href={`${base}?page=${data.page + 1}`}>Older →</Link>}
      </p>
    </section>
  )
}
