import { data } from 'react-router'
import ProductPage from '../../../../../domains/products/pages/product.page.tsx'
import '../../../slots.js'
import { productPageData } from '../../../catalogue.js'

export function loader({ params }) {
  const page = productPageData(params.slug)
  if (!page) throw data(null, { status: 404 })
  return page
}

export const meta = ({ loaderData }) => [{ title: loaderData?.product.name }]

export default function Product({ loaderData }) {
  return <ProductPage data={loaderData} />
}
