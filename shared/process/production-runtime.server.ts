import cluster from 'node:cluster'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { getAsset, isSea } from 'node:sea'
import { getRequestListener } from '@hono/node-server'
import type { Config } from '#shared/config'
import { runMigrations, type Db } from '#shared/db'
import type { Logger } from '#shared/log'
import type { ViteManifest } from '#shared/ssr'
import type { AppEntry } from './app-entry.ts'
import { answerRequestErrors, hostWithoutHostHeader } from './client-errors.server.ts'
import type { Runtime } from './runtime.ts'

/**
 * `node dist/server.js` (or the single executable): the bundled app and the client build.
 * `clientDir` says where `dist/client` is (only the bundle's own file knows; never asked of the
 * single executable, whose CommonJS has no import.meta.url).
 */
export async function productionRuntime(entry: AppEntry, db: Db, config: Config, log: Logger, clientDir: () => URL): Promise<Runtime> {
  const client = clientBuild(clientDir)
  const domains = await entry.loadDomains()
  // In a cluster the primary has migrated before forking: exactly one process does.
  if (!cluster.isWorker) await runMigrations(db, entry.migrationsOf(domains), { warn: (message) => log.warn(message) })
  const assetsFor = entry.manifestAssets(client.manifest, { readFile: client.readText })
  const { app, close, privateMetrics } = await entry.createApp({
    domains,
    db,
    config,
    log,
    assetsFor,
    serveAssets: entry.staticAssets(client.files),
    background: config.BACKGROUND_WORK,
  })
  // Unread request bodies are serve()'s (discardUnreadBody): the adapter's own clean-up hangs up 0.5 s after the answer.
  return {
    listener: getRequestListener(app.fetch, { errorHandler: answerRequestErrors, autoCleanupIncoming: false, hostname: hostWithoutHostHeader(config) }),
    close: async () => close(),
    metrics: privateMetrics?.fetch,
  }
}

/** The client build: `dist/client` beside the bundle, or the single executable's assets `client/…`. */
function clientBuild(clientDir: () => URL): {
  manifest: ViteManifest
  files: Parameters<AppEntry['staticAssets']>[0]
  readText: (file: string) => string | undefined
} {
  if (isSea()) {
    const files = (path: string) => {
      try {
        return getAsset(`client${path}`)
      } catch {
        return undefined // no such asset
      }
    }
    const readText = (file: string) => {
      const bytes = files(`/${file}`)
      return bytes && Buffer.from(bytes).toString('utf8')
    }
    return { manifest: JSON.parse(getAsset('client/.vite/manifest.json', 'utf8')), files, readText }
  }
  const dir = fileURLToPath(clientDir())
  return { manifest: JSON.parse(readFileSync(`${dir}.vite/manifest.json`, 'utf8')), files: dir, readText: (file) => readFileSync(`${dir}${file}`, 'utf8') }
}
