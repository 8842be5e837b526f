import { notFound } from 'next/navigation'
import { cache } from 'react'
import { productBySlug } from '../../../../catalogue.js'
import { ProductPage } from '../../components.jsx'

export const dynamic = 'force-dynamic'

// One query per request for both the title and the page, as Next's docs advise.
const product = cache(productBySlug)

export async function generateMetadata({ params }) {
  return { title: product((await params).slug)?.name }
}

export default async function Product({ params }) {
  const found = product((await params).slug)
  if (!found) notFound()
  return <ProductPage data={{ product: found }} />
}
