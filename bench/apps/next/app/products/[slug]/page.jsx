import { notFound } from 'next/navigation'
import { cache } from 'react'
import { productPageData } from '../../../../catalogue.js'
import { ProductPage } from '../../components.jsx'

export const dynamic = 'force-dynamic'

// One query per request for both the title and the page, as Next's docs advise.
const page = cache(productPageData)

export async function generateMetadata({ params }) {
  return { title: page((await params).slug)?.product.name }
}

export default async function Product({ params }) {
  const found = page((await params).slug)
  if (!found) notFound()
  return <ProductPage data={found} />
}
