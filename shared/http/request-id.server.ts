import type { MiddlewareHandler } from 'hono'
import { requestHeader, setFixedHeaders } from './node-http.server.ts'

/** An id a proxy in front may pass on: short, and only characters safe in a log and a header. */
const acceptable = /^[\w\-=]{1,255}$/

/**
 * Hono's requestId() (the same header, the same rules for a caller's id) without its cost: the
 * response header goes on Node's response, not a `Headers` object (see setFixedHeaders).
 * @example app.use(requestId()); c.get('requestId')
 */
export function requestId(): MiddlewareHandler {
  return async function requestId(c, next) {
    const given = requestHeader(c, 'X-Request-Id')
    const id = given && acceptable.test(given) ? given : crypto.randomUUID()
    c.set('requestId', id)
    await next()
    setFixedHeaders(c, [['X-Request-Id', id]])
  }
}
