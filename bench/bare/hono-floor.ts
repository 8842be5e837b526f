/**
 * The framework's floor, to read Tessera's API and cache-hit figures against: Hono on
 * @hono/node-server (what Tessera runs on) answering GET /api/products/1 with the same JSON as the
 * bare server, and /products with the bytes of Tessera's page (PAGE_FILE: what a cache hit
 * sends); under /with-headers the same plus Tessera's own security headers and request id
 * middleware (nothing else). Run with DATABASE_PATH, PAGE_FILE and PORT; built by Vite.
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { getRequestListener } from '@hono/node-server'
import { Hono } from 'hono'
import { requestId, securityHeaders } from '#shared/http'
import { productById } from '../apps/catalogue.js'

const page = readFileSync(process.env.PAGE_FILE!)

function routes(app: Hono): Hono {
  return app
    .get('/api/products/:id', (c) => c.json(productById(Number(c.req.param('id')))))
    .get('/products', (c) => c.body(page, 200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(page.byteLength) }))
}

const app = routes(new Hono())
app.route('/with-headers', routes(new Hono().use(requestId(), securityHeaders({ dev: false }))))

createServer(getRequestListener(app.fetch)).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'))
