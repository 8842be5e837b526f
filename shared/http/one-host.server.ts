import type { MiddlewareHandler } from 'hono'
import { statusErrorBody } from './errors.ts'
import { rawRequestHeaders } from './node-http.server.ts'

/**
 * A request with more than one `Host` is a 400 (RFC 9112 §3.2). Node keeps the first and drops
 * the rest; a proxy in front may read the last: the page it caches for one host would then carry
 * another's links. Read from Node's raw headers (none in `app.request()` tests: nothing to check).
 */
export function oneHost(): MiddlewareHandler {
  return async function oneHost(c, next) {
    const raw = rawRequestHeaders(c)
    if (raw && hostCount(raw) > 1) return c.json(statusErrorBody(400), 400)
    return next()
  }
}

/** Node's raw headers are name, value, name, value…: the names that are Host. */
function hostCount(raw: string[]): number {
  let count = 0
  for (let at = 0; at < raw.length; at += 2) if (raw[at]!.length === 4 && raw[at]!.toLowerCase() === 'host') count++
  return count
}
