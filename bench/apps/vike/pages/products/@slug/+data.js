import { render } from 'vike/abort'
import { productBySlug } from '../../../../catalogue.js'

export function data(pageContext) {
  const product = productBySlug(pageContext.routeParams.slug)
  if (!product) throw render(404)
  return { product }
}
