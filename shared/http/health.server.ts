import { Hono } from 'hono'
import { isDatabaseReady } from '#shared/db'
import type { AppEnv } from './app-env.ts'

/** `GET /healthz`: the process is alive (and which one: with WORKERS > 1 there are several). `GET /readyz`: and its database answers. */
export const health = new Hono<AppEnv>()
  .get('/healthz', (c) => c.json({ status: 'ok', pid: process.pid }))
  .get('/readyz', async (c) => {
    const ready = await isDatabaseReady(c.var.db)
    return c.json({ status: ready ? 'ready' : 'unavailable', checks: { database: ready } }, ready ? 200 : 503)
  })
