import { cache } from 'react'
import { anonymousNav, productsHead, productsPageData } from '../../../catalogue.js'
import { Layout, ProductsPage } from '../components.jsx'

export const dynamic = 'force-dynamic'

// One read per request for both the head and the page, as Next's docs advise.
const pageData = cache(productsPageData)

export async function generateMetadata() {
  const { title, description } = productsHead(pageData())
  return { title, description }
}

// Tessera's /products for an anonymous visitor: its Layout around its ProductsPage.
export default function Products() {
  return (
    <Layout nav={anonymousNav} viewer={null} badges={{}}>
      <ProductsPage data={pageData()} params={{}} />
    </Layout>
  )
}
