/**
 * The ceiling: what react-dom/server on bare node:http does with no framework at all, for the
 * same page as Tessera's /products: the same React tree (Tessera's App, Layout and ProductsPage),
 * the same data read with plain prepared SQL, the same hydration data and scripts. No router, no
 * middleware, no headers beyond Content-Type and Content-Length. bench/run.ts checks its HTML is
 * Tessera's byte for byte (less Tessera's CSP nonces).
 *
 * Run with NODE_ENV=production, DATABASE_PATH and CLIENT_MANIFEST (the Tessera build's
 * .vite/manifest.json). Routes: /products (renderToString), /products-stream
 * (renderToPipeableStream), /api/products/1 (JSON).
 */
import { readFileSync } from 'node:fs'
import { createServer, type ServerResponse } from 'node:http'
import { dirname, join } from 'node:path'
import { renderToPipeableStream, renderToString } from 'react-dom/server'
import { BOOT_GLOBAL, settleRuntime, type Boot } from '#shared/client'
import { manifestAssets } from '#shared/ssr'
import { App, type PageView } from '#shared/ui'
import ProductsPage, { type ProductsData } from '../../domains/products/pages/products.page.tsx'
import { serializeForScript } from '../../shared/ssr/serialize.ts'
import { anonymousNav, productById, productsHead, productsPageData } from '../apps/catalogue.js'

const pageId = 'domains/products/pages/products.page.tsx'
const clientDir = join(dirname(process.env.CLIENT_MANIFEST!), '..')
const assets = manifestAssets(JSON.parse(readFileSync(process.env.CLIENT_MANIFEST!, 'utf8')), {
  readFile: (file) => readFileSync(join(clientDir, file), 'utf8'),
})(pageId)

/** The page, its hydration data as a script, and its entry module, as Tessera sends them. */
function productsPage() {
  const data: ProductsData = productsPageData()
  const view: PageView = {
    url: '/products',
    pageId,
    Page: ProductsPage as PageView['Page'],
    data,
    params: {},
    head: productsHead(data),
    nav: anonymousNav,
    viewer: null,
    badges: {},
  }
  const boot: Boot = {
    url: view.url,
    page: pageId,
    params: {},
    data,
    deferred: [],
    settled: {},
    head: view.head,
    nav: view.nav,
    viewer: null,
    badges: {},
    assets: { ...assets, inlineCss: '' },
  }
  const bootScript = `self.${BOOT_GLOBAL}=${serializeForScript(boot)};${BOOT_GLOBAL}.${settleRuntime.replace(':', '=')}`
  return { element: <App view={view} assets={assets} router={null} />, bootScript }
}

function send(res: ServerResponse, type: string, body: string) {
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) })
  res.end(body)
}

createServer((req, res) => {
  if (req.url === '/products') {
    const { element, bootScript } = productsPage()
    const scripts = `<script>${bootScript}</script><script type="module" src="${assets.entry}"></script>`
    return send(res, 'text/html; charset=utf-8', `<!DOCTYPE html>${renderToString(element).replace('</body>', `${scripts}</body>`)}`)
  }
  if (req.url === '/products-stream') {
    const { element, bootScript } = productsPage()
    const { pipe } = renderToPipeableStream(element, {
      bootstrapScriptContent: bootScript,
      bootstrapModules: [assets.entry],
      onShellReady() {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        pipe(res)
      },
    })
    return
  }
  if (req.url === '/api/products/1') return send(res, 'application/json', JSON.stringify(productById(1)))
  res.writeHead(404).end()
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'))
