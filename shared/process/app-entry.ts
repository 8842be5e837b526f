import type { Hono } from 'hono'
import type { Config } from '#shared/config'
import type { Db, MigrationSet } from '#shared/db'
import type { Domain, DomainCommand } from '#shared/domain'
import type { answerMetricsForWorkers, AppEnv, metricsAccess, metricsRoutes, staticAssets } from '#shared/http'
import type { Logger } from '#shared/log'
import type { AssetsFor, devAssets, manifestAssets } from '#shared/ssr'

export interface AppDeps {
  domains: Domain[]
  db: Db
  config: Config
  log: Logger
  /** Each page's scripts and styles, and the CSP sources of the styles pages carry inline. */
  assetsFor: AssetsFor
  /** Production: serve dist/client's hashed assets. Dev: Vite serves them. */
  serveAssets?: Hono
  /** Start-up tasks and the job worker run here (false on all cluster workers but one). */
  background?: boolean
  /** Says a start-up warning (a page file no route shows); dev's says each once across rebuilds. `log.warn` by default. */
  warn?: (message: string) => void
}

export interface App {
  app: Hono<AppEnv>
  /** Stops the app's background work (cache invalidation polling, the job worker). */
  close(): Promise<void>
  /** `/metrics` for a listener of its own on 127.0.0.1, with `METRICS_PORT` (a cluster's primary serves its own). */
  privateMetrics?: Hono | undefined
}

/**
 * What the process asks of the app's code (entry-server.tsx). The process loads it as a module
 * (bundled when built, through Vite in dev) and never imports it: shared/ stays below the app.
 */
export interface AppEntry {
  loadDomains(): Promise<Domain[]>
  /** The platform's and every domain's migrations, for `runMigrations()`. */
  migrationsOf(domains: Domain[]): MigrationSet
  /** The platform's and every domain's operator commands by name. */
  commandsOf(domains: Domain[]): Record<string, DomainCommand>
  createApp(deps: AppDeps): Promise<App>
  // From the app's bundle rather than imported here, so dev uses the instances Vite loaded.
  manifestAssets: typeof manifestAssets
  devAssets: typeof devAssets
  staticAssets: typeof staticAssets
  answerMetricsForWorkers: typeof answerMetricsForWorkers
  metricsAccess: typeof metricsAccess
  metricsRoutes: typeof metricsRoutes
}

/** The app's code, and how to let go of what loading it started (Vite in dev). */
export type EntryLoader = () => Promise<{ entry: AppEntry; close(): Promise<void> }>

export type Fetch = (request: Request) => Response | Promise<Response>
