import { render } from 'vike/abort'
import { productPageData } from '../../../../catalogue.js'

export function data(pageContext) {
  const page = productPageData(pageContext.routeParams.slug)
  if (!page) throw render(404)
  return page
}
