import type { CacheState, InvalidationLog } from '#shared/cache'
import type { Config } from '#shared/config'
import type { Db } from '#shared/db'
import type { Logger } from '#shared/log'
import type { UpstreamMetrics } from './metrics.server.ts'

/**
 * What the platform's middleware keeps per request, on any Hono context (the one augmentation of
 * Hono's ContextVariableMap in shared/: middleware runs in apps of any env, tests' and the bench's too).
 */
export interface RequestVariables {
  /** This request's id: in its log lines and its `X-Request-Id` response header. */
  requestId: string
  /** This response's CSP script nonce, once `cspNonce(c)` made one. */
  cspNonce: string
  /** Inline scripts this response may run, by hash: see `allowScriptHashes()`. */
  cspScriptHashes: string
  /** How the page cache answered (its X-Cache header), for the metrics: read there, not off the headers. */
  pageCacheState: CacheState | 'BYPASS'
  /** Set when part of the page failed (a deferred value's error, a render error): not cacheable. */
  renderDegraded: boolean
  /**
   * Set when the answer read a request cookie (`readCookie`), or passes on another app's cookies
   * (the gateway's upstream proxy): it is that visitor's alone (`privateAnswers`).
   */
  readCookies: boolean
  /** Set when the body comes as another service sends it (the gateway's): compressed as a stream, never read whole. */
  streamedBody: boolean
  /** The route label of an answer no route pattern names (an upstream's: `/api/reviews/*`, `fallback`), for metrics and spans. */
  routeLabel: string
}

declare module 'hono' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ContextVariableMap extends RequestVariables {}
}

/** What every handler and loader finds on the Hono context (`c.var`), besides `RequestVariables`. */
export interface AppVariables extends RequestVariables {
  db: Db
  config: Config
  log: Logger
  /** Page cache invalidation: prefer `revalidateTag(c, tag)` / `revalidatePath(c, path)` / `syncPageCache(c)`. */
  cache: Pick<InvalidationLog, 'revalidateTag' | 'revalidatePath' | 'sync'>
  /** Where calls to other services are counted and timed (`/metrics`). */
  upstreamMetrics: UpstreamMetrics
  /** Who is signed in (id and role), for what the app tells other services; null for nobody. */
  identify: () => Promise<{ id: string; role: string } | null>
}

/** The Hono environment of the app and of every domain API: `new Hono<AppEnv>()`. */
export interface AppEnv {
  Variables: AppVariables
}
