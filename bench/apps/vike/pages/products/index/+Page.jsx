import { useData } from 'vike-react/useData'
import { ProductGrid } from '../../../../../../domains/products/components/product-card.tsx'

export default function Page() {
  return (
    <>
      <h1>All products</h1>
      <ProductGrid products={useData().products} />
    </>
  )
}
