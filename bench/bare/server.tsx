/**
 * The ceiling: what react-dom/server on bare node:http does with no framework at all, over the
 * same SQLite data and the same product card markup as Tessera's /products. Run with
 * NODE_ENV=production. Routes: /products (renderToString), /products-stream
 * (renderToPipeableStream), /api/products/1 (JSON).
 */
import { createServer } from 'node:http'
import SQLite from 'better-sqlite3'
import { renderToPipeableStream, renderToString } from 'react-dom/server'
import { ProductGrid } from '../../domains/products/components/product-card.tsx'
import { toProduct } from '../../domains/products/catalogue.server.ts'
import type { Product } from '../../domains/products/schemas.ts'

const db = new SQLite(process.env.DATABASE_PATH!, { readonly: true })
const page = db.prepare(
  'select p.*, c.slug as category from products p join categories c on c.id = p.category_id order by p.created_at desc, p.id desc limit 48',
)
const one = db.prepare('select p.*, c.slug as category from products p join categories c on c.id = p.category_id where p.id = ?')

type Row = Parameters<typeof toProduct>[0]

function Page({ products }: { products: Product[] }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <title>All products</title>
      </head>
      <body>
        <h1>All products</h1>
        <ProductGrid products={products} />
      </body>
    </html>
  )
}

createServer((req, res) => {
  if (req.url === '/products') {
    const html = '<!DOCTYPE html>' + renderToString(<Page products={(page.all() as Row[]).map(toProduct)} />)
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) })
    return res.end(html)
  }
  if (req.url === '/products-stream') {
    const { pipe } = renderToPipeableStream(<Page products={(page.all() as Row[]).map(toProduct)} />, {
      onShellReady() {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        pipe(res)
      },
    })
    return
  }
  if (req.url === '/api/products/1') {
    const body = JSON.stringify(toProduct(one.get(1) as Row))
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) })
    return res.end(body)
  }
  res.writeHead(404).end()
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'))
