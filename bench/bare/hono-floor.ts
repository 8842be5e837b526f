/**
 * The framework's floor for the JSON endpoint, to read Tessera's API figure against: Hono on
 * @hono/node-server (what Tessera runs on) answering GET /api/products/1 with the same JSON as the
 * bare server, and at /with-headers/api/products/1 the same plus Tessera's own security headers
 * and request id middleware (nothing else). Run with DATABASE_PATH and PORT; built by Vite.
 */
import { createServer } from 'node:http'
import { getRequestListener } from '@hono/node-server'
import { Hono } from 'hono'
import { requestId, securityHeaders } from '#shared/http'
import { productById } from '../apps/catalogue.js'

const product = (app: Hono) => app.get('/api/products/:id', (c) => c.json(productById(Number(c.req.param('id')))))
const app = product(new Hono())
app.route('/with-headers', product(new Hono().use(requestId(), securityHeaders({ dev: false }))))

createServer(getRequestListener(app.fetch)).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'))
