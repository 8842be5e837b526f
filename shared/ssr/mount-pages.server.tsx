import type { Context, Hono } from 'hono'
import type { Domain, PageRoute } from '#shared/domain'
import type { AppEnv } from '#shared/http'
import type { Renderer } from './render-page.server.tsx'

interface MountOptions {
  renderer: Renderer
  /** The file of a loaded page module, see `pageIdRegistry`. */
  pageIdOf: (module: unknown) => string
}

/** Answers `GET <path>` of every domain page: run its loader, then render it. */
export function mountPages(app: Hono<AppEnv>, domains: Domain[], { renderer, pageIdOf }: MountOptions): void {
  for (const domain of domains) {
    for (const route of domain.routes) {
      app.get(route.path, async (c) => {
        const params = c.req.param() as Record<string, string>
        const [module, data] = await Promise.all([route.page(), load(route, c, params)])
        return renderer.renderPage(c, {
          pageId: pageIdOf(module),
          Page: module.default,
          data,
          params,
          head: route.head?.(data) ?? { title: 'Tessera' },
        })
      })
    }
  }
}

function load(route: PageRoute, c: Context<AppEnv>, params: Record<string, string>): unknown {
  if (!route.load) return undefined
  return route.load({ params, query: new URL(c.req.url).searchParams, request: c.req.raw, db: c.var.db, c })
}
