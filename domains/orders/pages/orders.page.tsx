import type { PageProps } from '#shared/domain'
import { Pagination, pageLinkParams, type PageLink } from '#shared/ui'
import { OrderList } from '../components/order-summary.tsx'
import type { OrderPage } from '../schemas.ts'

export default function OrdersPage({ data }: PageProps<OrderPage & { title: string; admin: boolean }>) {
  const base = data.admin ? '/admin/orders' : '/orders'
  const hrefFor = (link: PageLink) => {
    const params = new URLSearchParams(pageLinkParams(link))
    return params.size ? `${base}?${params}` : base
  }
  return (
    <section>
      <h1>{data.title}</h1>
      <OrderList orders={data.items} hrefFor={(order) => `${base}/${order.id}`} />
      <Pagination links={data.links} hrefFor={hrefFor} />
    </section>
  )
}
