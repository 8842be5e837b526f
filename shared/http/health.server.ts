import { Hono } from 'hono'
import { isDatabaseReady, isSqliteFileInPlace, type Db } from '#shared/db'
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

/** Databases whose moved file /readyz has logged: once a process, not once a probe. */
const toldOfMovedFile = new WeakSet<Db>()

/**
 * `GET /healthz`: the process is alive (and which one: with WORKERS > 1 there are several).
 * `GET /readyz`: and its database answers, and it is not shutting down.
 */
export const health = new Hono<AppEnv>()
  .get('/healthz', (c) => c.json({ status: 'ok', pid: process.pid }))
  .get('/readyz', async (c) => {
    if (processWide[DRAINING]) return c.json({ status: 'draining' }, 503)
    const ready = await isDatabaseReady(c.var.db)
    if (!ready && !isSqliteFileInPlace(c.var.db) && !toldOfMovedFile.has(c.var.db)) {
      toldOfMovedFile.add(c.var.db)
      c.var.log.error('the SQLite file this process opened was deleted or replaced: what it writes now is lost when it stops', {
        path: c.var.config.DATABASE_PATH,
      })
    }
    return c.json({ status: ready ? 'ready' : 'unavailable', checks: { database: ready } }, ready ? 200 : 503)
  })
