import { productById } from '../../../../../catalogue.js'

export const dynamic = 'force-dynamic'

export async function GET(_request, { params }) {
  const product = productById(Number((await params).id))
  return product ? Response.json(product) : Response.json({ error: { code: 'not_found' } }, { status: 404 })
}
