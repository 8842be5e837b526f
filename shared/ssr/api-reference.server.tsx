import type { Context, Hono } from 'hono'
import { openApiDocument, ownCookieName, SESSION_COOKIE, type AppEnv } from '#shared/http'
import { ApiReference } from '#shared/ui'
import type { Renderer } from './render-page.server.tsx'

export interface ApiReferenceOptions {
  renderer: Renderer
  publicUrl: string | undefined
  /** A line on each API (its tag), by its name under /api: the domains' `apiDescriptions`. */
  apis: Record<string, string>
}

/**
 * `GET /api/openapi.json` and its page for people, `/api-docs`. The document is built on first use,
 * when every route is mounted, from the same zod schemas that validate the requests.
 */
export function mountApiReference(app: Hono<AppEnv>, { renderer, publicUrl, apis }: ApiReferenceOptions): void {
  let doc: ReturnType<typeof openApiDocument> | undefined
  const documentFor = (c: Context<AppEnv>) =>
    (doc ??= openApiDocument(app, { title: 'Tessera API', version: '1', publicUrl, sessionCookie: ownCookieName(c, SESSION_COOKIE), apis }))
  app.get('/api/openapi.json', (c) => c.json(documentFor(c)))
  app.get('/api-docs', (c) => renderer.renderStatic(c, 200, 'API reference', <ApiReference doc={documentFor(c)} />))
}
