import type { RouterRoute } from 'hono/types'
import { TrieRouter } from 'hono/router/trie-router'

/** Allow's usual order; a method outside it goes last. */
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/**
 * The methods each path answers, for a 405's `Allow` header: `allowedMethods(app)(path)` is
 * `'GET, HEAD, POST'`, or undefined when no route has the path. Read from the app's route table
 * on first use, when every route is mounted; asked only when no route matched (in `notFound`),
 * so the requests that do match pay nothing. `HEAD` is listed wherever `GET` is (Hono answers
 * it with the GET route). Middleware (`use`, method `ALL`) makes no path exist.
 * @example app.notFound((c) => { const allow = allowed(c.req.path); ... })
 */
export function allowedMethods(app: { routes: RouterRoute[] }): (path: string) => string | undefined {
  let router: TrieRouter<string> | undefined
  return (path) => {
    router ??= routerOf(app.routes)
    const methods = new Set(router.match('GET', path)[0].map(([method]) => method))
    if (methods.size === 0) return undefined
    if (methods.has('GET')) methods.add('HEAD')
    return [...methods].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).join(', ')
  }
}

/** Every route under method ALL, its own method as the handler: one match gives them all. */
function routerOf(routes: RouterRoute[]): TrieRouter<string> {
  const router = new TrieRouter<string>()
  for (const { method, path } of routes) if (method !== 'ALL') router.add('ALL', path, method)
  return router
}

const rank = (method: string) => (ORDER.includes(method) ? ORDER.indexOf(method) : ORDER.length)
