import type { Server } from 'node:http'
import { getRequestListener } from '@hono/node-server'
import type { Config } from '#shared/config'
import { runMigrations, type Db } from '#shared/db'
import type { Logger } from '#shared/log'
import type { AppEntry, Fetch } from './app-entry.ts'
import { answerRequestErrors, hostWithoutHostHeader } from './client-errors.server.ts'
import type { Runtime } from './runtime.ts'
import { viteServes } from './vite-serves.ts'
import { warnOnChange } from './warn-on-change.ts'

/**
 * `node --import tsx server.ts`: Vite in middleware mode (its HMR on this HTTP server), the app's
 * code loaded through `ssrLoadModule` and rebuilt when a file it imports changes, no restart.
 */
export async function devRuntime(server: Server, db: Db, config: Config, log: Logger): Promise<Runtime> {
  const { createServer: createViteServer } = await import('vite')
  const vite = await createViteServer({ server: { middlewareMode: true, ws: { server } }, appType: 'custom' })
  // The app is rebuilt, and migrations checked, after every edit: an edited migration is said once.
  const said = new Set<string>()
  const afresh = `or, to run it as it is now, stop the server and ${config.DATABASE_URL ? 'make its PostgreSQL database anew' : `delete ${config.DATABASE_PATH} (with its -wal and -shm files)`}`
  const warnOnce = (message: string) => {
    if (said.has(message)) return
    said.add(message)
    log.warn(message)
  }
  // The app's own start-up warnings (a stray page file) are found again at every rebuild.
  const appWarnings = warnOnChange((message) => log.warn(message))
  let current:
    | { entry: AppEntry; fetch: (request: Request, env: unknown) => Response | Promise<Response>; close(): void; metrics?: Fetch | undefined }
    | undefined

  // ssrLoadModule returns the same module until a file it imports changes: then rebuild the app.
  // `env` carries Node's request and response, as in production (see shared/http/node-http.server.ts).
  async function appFetch(request: Request, env: unknown): Promise<Response> {
    try {
      const entry = (await vite.ssrLoadModule('/entry-server.tsx')) as AppEntry
      if (current?.entry !== entry) {
        const domains = await entry.loadDomains()
        await runMigrations(db, entry.migrationsOf(domains), { warn: warnOnce, afresh })
        const assetsFor = entry.devAssets('/@tessera/dev-entry.js', ['/shared/ui/styles.css'])
        appWarnings.rebuilt()
        const { app, close, privateMetrics } = await entry.createApp({ domains, db, config, log, assetsFor, warn: appWarnings.warn })
        current?.close()
        current = { entry, fetch: app.fetch, close, metrics: privateMetrics?.fetch }
      }
      return await current.fetch(request, env)
    } catch (err) {
      if (err instanceof Error) vite.ssrFixStacktrace(err)
      log.error('dev server error', { err })
      return new Response(startFailurePage(err), { status: 500, headers: { 'Content-Type': 'text/html; charset=utf-8' } })
    }
  }
  // Unread request bodies are serve()'s (discardUnreadBody), as in production.
  const honoListener = getRequestListener(appFetch, { errorHandler: answerRequestErrors, autoCleanupIncoming: false, hostname: hostWithoutHostHeader(config) })
  return {
    // Vite gets only the browser's modules: a path that is not one is the app's (a 404 for
    // `/package.json` or `/assets/../package.json`, as in production), never a file of the project.
    listener: (req, res) =>
      viteServes(req.url ?? '/', req.headers.accept) ? vite.middlewares(req, res, () => honoListener(req, res)) : honoListener(req, res),
    // The app (and its metrics) is built on the first request to the store.
    metrics: (request) => current?.metrics?.(request) ?? new Response('Not started: request a page first.\n', { status: 503 }),
    close: async () => {
      current?.close()
      await vite.close()
    },
  }
}

/** What stopped the app loading, its message first (it names the file and what to do); the stack folded away. */
function startFailurePage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  const stack = err instanceof Error ? (err.stack ?? '') : ''
  return (
    '<!DOCTYPE html><meta charset="utf-8"><title>The app could not load</title>' +
    `<h1>The app could not load</h1><pre>${escapeHtml(message)}</pre>` +
    '<p>Fix it and reload: the dev server loads the app again at the next request.</p>' +
    `<details><summary>Stack</summary><pre>${escapeHtml(stack)}</pre></details>`
  )
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`)
