import { productCards } from '../../../catalogue.js'
import { ProductGrid } from '../components.jsx'

export const dynamic = 'force-dynamic'
export const metadata = { title: 'All products' }

export default function ProductsPage() {
  return (
    <>
      <h1>All products</h1>
      <ProductGrid products={productCards()} />
    </>
  )
}
