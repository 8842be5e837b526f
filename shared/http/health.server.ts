import { Hono } from 'hono'
import { isDatabaseReady } from '#shared/db'
import type { AppEnv } from './app-env.ts'

/**
 * Whether this process is shutting down: on globalThis, one for the process, as `npm run dev`
 * loads the app (this file) through Vite a second time beside the server's own copy.
 */
const DRAINING = Symbol.for('tessera.draining')
const processWide = globalThis as { [DRAINING]?: boolean }

/** From SIGTERM on, /readyz answers 503: a load balancer sends this process no more requests while it finishes its own. */
export const startDraining = () => {
  processWide[DRAINING] = true
}

/**
 * `GET /healthz`: the process is alive (and which one: with WORKERS > 1 there are several).
 * `GET /readyz`: and its database answers, and it is not shutting down.
 */
export const health = new Hono<AppEnv>()
  .get('/healthz', (c) => c.json({ status: 'ok', pid: process.pid }))
  .get('/readyz', async (c) => {
    if (processWide[DRAINING]) return c.json({ status: 'draining' }, 503)
    const ready = await isDatabaseReady(c.var.db)
    return c.json({ status: ready ? 'ready' : 'unavailable', checks: { database: ready } }, ready ? 200 : 503)
  })
