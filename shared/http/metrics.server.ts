import type { Context, MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { clusterMetrics } from './cluster-metrics.server.ts'
import type { MetricsText } from './metrics-routes.server.ts'

/** Calls to upstream services (shared/gateway), by upstream name. */
export interface UpstreamMetrics {
  answered(upstream: string, status: number, seconds: number): void
  failed(upstream: string, kind: 'error' | 'timeout' | 'circuit_open'): void
}

export interface MetricsOptions {
  /** Jobs waiting or running, read when Prometheus scrapes. */
  queueDepth: () => Promise<number>
}

/**
 * Prometheus metrics with prom-client: requests by route pattern and status, their latency,
 * page cache outcomes, job queue depth, and Node's own (event-loop lag, memory, GC).
 * @example const metrics = createMetrics({ queueDepth }); app.use(metrics.record()); app.route('/', metricsRoutes({ collect: metrics.collect }))
 */
export function createMetrics({ queueDepth }: MetricsOptions) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const labelNames = ['method', 'route', 'status'] as const
  const requests = new Counter({ name: 'http_requests_total', help: 'Requests answered', labelNames, registers: [registry] })
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to the response headers',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })
  const cache = new Counter({ name: 'page_cache_responses_total', help: 'Cached pages served, by X-Cache', labelNames: ['state'], registers: [registry] })
  new Gauge({
    name: 'job_queue_depth',
    help: 'Background jobs pending or running',
    registers: [registry],
    async collect() {
      this.set(await queueDepth())
    },
  })

  const upstreamTime = new Histogram({
    name: 'upstream_request_duration_seconds',
    help: 'Time until an upstream (a remote domain, the migration fallback) answered with its head',
    labelNames: ['upstream', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  const upstreamFailures = new Counter({
    name: 'upstream_failures_total',
    help: 'Calls that got no answer from an upstream: error (refused, reset), timeout, circuit_open',
    labelNames: ['upstream', 'kind'],
    registers: [registry],
  })
  const upstream: UpstreamMetrics = {
    answered: (name, status, seconds) => upstreamTime.labels({ upstream: name, status: String(status) }).observe(seconds),
    failed: (name, kind) => upstreamFailures.labels({ upstream: name, kind }).inc(),
  }

  const cacheStates = { HIT: cache.labels('HIT'), STALE: cache.labels('STALE'), MISS: cache.labels('MISS'), BYPASS: cache.labels('BYPASS') }
  const fromCluster = clusterMetrics(registry)

  return {
    /** What calls to upstreams record: see `c.var.upstreamMetrics`. */
    upstream,
    /** Counts and times every request; the route is its pattern (`/products/:slug`), never the raw path. */
    record(): MiddlewareHandler {
      // One child per label set, found by a string key: prom-client's own lookup hashes the labels.
      const series = new Map<string, { count: ReturnType<typeof requests.labels>; time: ReturnType<typeof duration.labels> }>()
      return async function recordMetrics(c, next) {
        const start = performance.now()
        await next()
        const { method } = c.req
        const route = routeOf(c)
        const status = c.res.status
        const key = `${method} ${status} ${route}`
        let child = series.get(key)
        if (!child) {
          const labels = { method, route, status: String(status) }
          series.set(key, (child = { count: requests.labels(labels), time: duration.labels(labels) }))
        }
        child.time.observe((performance.now() - start) / 1000)
        child.count.inc()
        const state = c.get('pageCacheState')
        if (state) cacheStates[state].inc()
      }
    },
    /** This process's metrics, or with WORKERS > 1 the sum over every worker: what `metricsRoutes` serves. */
    async collect(): Promise<MetricsText> {
      return fromCluster ? fromCluster() : { text: await registry.metrics(), contentType: registry.contentType }
    },
  }
}

/** The matched route's pattern (or the label an upstream's answer set); unmatched requests share one label, so labels stay few. */
export function routeOf(c: Context): string {
  const label = c.get('routeLabel')
  if (label) return label
  const path = routePath(c, -1)
  return path === '*' || path.endsWith('/*') ? 'unmatched' : path
}
