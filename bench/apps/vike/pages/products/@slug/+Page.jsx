import { useData } from 'vike-react/useData'
import '../../../../slots.js'
import ProductPage from '../../../../../../domains/products/pages/product.page.tsx'

export default function Page() {
  return <ProductPage data={useData()} />
}
