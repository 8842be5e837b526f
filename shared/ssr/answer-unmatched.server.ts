import type { Context, Hono, NotFoundHandler } from 'hono'
import { allowedMethods, isApiPath, lowercasePagePaths, METRICS_PATH, statusErrorBody, type AppEnv } from '#shared/http'
import type { Renderer } from './render-page.server.tsx'

export interface UnmatchedOptions {
  renderer: Renderer
  /** Every page's path pattern: `/Products` is redirected to the page at `/products`. */
  pagePaths: readonly string[]
  /** Moving off another app: what nothing here answers goes there, pages and API alike. */
  fallback?: (c: Context<AppEnv>) => Response | Promise<Response>
}

/**
 * The app's `notFound`, built once every route is mounted: a page path in other letters is a 301 to
 * its lowercase self; a path that answers other methods a 405 with Allow; a path nothing here owns
 * goes to the fallback app when there is one; anything else a 404. JSON on API paths, pages elsewhere.
 */
export function answerUnmatched(app: Hono<AppEnv>, { renderer, pagePaths, fallback }: UnmatchedOptions): NotFoundHandler<AppEnv> {
  const allowedAt = allowedMethods(app)
  const lowercased = lowercasePagePaths(pagePaths)
  return (c) => {
    const lower = lowercased(c)
    if (lower) return c.redirect(lower, 301)
    const allow = allowedAt(c.req.path)
    // A path Tessera owns written another way (`/api/orders/`, `/api//orders`) is not the old app's
    // either: its copy of a moved route may still answer there, and write to a table it no longer owns.
    // Nor /metrics, served or not: a scraper's bearer token (forwarded to the old app) is the store's.
    const ours = c.req.path === METRICS_PATH || allowedAt(c.req.path.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1'))
    if (!allow && fallback && !ours) return fallback(c)
    if (!allow || allow.split(', ').includes(c.req.method)) {
      return isApiPath(c.req.path)
        ? c.json(statusErrorBody(404), 404)
        : renderer.renderErrorPage(c, 404, 'Page not found', 'We looked everywhere, but there is nothing at this address.')
    }
    c.header('Allow', allow)
    return isApiPath(c.req.path)
      ? c.json(statusErrorBody(405), 405)
      : renderer.renderErrorPage(c, 405, 'Not allowed here', `This address does not answer ${c.req.method} requests.`)
  }
}
