import { Layout } from '../../../../../shared/ui/layout.tsx'
import ProductsPage from '../../../../../domains/products/pages/products.page.tsx'
import { anonymousNav, productsHead, productsPageData } from '../../../catalogue.js'

// Server-only (React Router removes loaders from the browser's bundle, and catalogue.js with
// them): the page, its header's links and its head, read once per request.
export function loader() {
  const page = productsPageData()
  return { page, nav: anonymousNav, head: productsHead(page) }
}

export const meta = ({ loaderData }) => [{ title: loaderData.head.title }, { name: 'description', content: loaderData.head.description }]

// Tessera's /products for an anonymous visitor: its Layout around its ProductsPage. Outside
// Tessera's App, RouterContext and PageViewContext default to null, as on Tessera's server.
export default function Products({ loaderData }) {
  return (
    <Layout nav={loaderData.nav} viewer={null} badges={{}}>
      <ProductsPage data={loaderData.page} params={{}} />
    </Layout>
  )
}
