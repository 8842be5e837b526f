import { useData } from 'vike-react/useData'
import { Layout } from '../../../../../../shared/ui/layout.tsx'
import ProductsPage from '../../../../../../domains/products/pages/products.page.tsx'

// Tessera's /products for an anonymous visitor: its Layout around its ProductsPage. Outside
// Tessera's App, RouterContext and PageViewContext default to null, as on Tessera's server.
export default function Page() {
  const { page, nav } = useData()
  return (
    <Layout nav={nav} viewer={null} badges={{}}>
      <ProductsPage data={page} params={{}} />
    </Layout>
  )
}
