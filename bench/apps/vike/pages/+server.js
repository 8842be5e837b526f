// Vike's recommended production server (vike.dev/server): a Hono app that Vike builds into
// dist/server/index.mjs and serves with its built-in Node server, static assets included.
import vike from '@vikejs/hono'
import { Hono } from 'hono'
import { productById } from '../../catalogue.js'

const app = new Hono()
app.get('/api/products/:id', (c) => {
  const product = productById(Number(c.req.param('id')))
  return product ? c.json(product) : c.json({ error: { code: 'not_found' } }, 404)
})
vike(app)

export default { fetch: app.fetch }
