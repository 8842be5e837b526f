import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'

/**
 * Serves the client build's hashed files under `/assets/`. A hashed name never changes content,
 * so browsers and CDNs may keep it for a year without asking again.
 * @example app.route('/', staticAssets('/srv/tessera/dist/client'))
 */
export function staticAssets(clientDir: string): Hono {
  return new Hono().use(
    '/assets/*',
    async function immutable(c, next) {
      await next()
      if (c.res.status === 200) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable')
    },
    serveStatic({ root: clientDir }),
  )
}
