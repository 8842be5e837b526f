import { productById } from '../../../catalogue.js'

// A resource route (a loader, no component): it answers the JSON itself.
export function loader({ params }) {
  const product = productById(Number(params.id))
  return product ? Response.json(product) : Response.json({ error: { code: 'not_found' } }, { status: 404 })
}
