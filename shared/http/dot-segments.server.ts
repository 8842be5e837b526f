import type { MiddlewareHandler } from 'hono'
import { errorBody } from './errors.ts'
import { requestTarget } from './node-http.server.ts'

/**
 * A request whose target has a `.` or `..` segment, written out or escaped (`/products/%2e%2e/api/auth/me`),
 * is a 400. The URL parser resolves them, so such a target reached the route it resolves to while
 * a CDN or proxy in front saw another path: an API answer under a page's address, cached by a rule
 * for pages (web cache deception), or a path rule of the proxy's passed by. Browsers resolve dot
 * segments before sending; only a hand-made request has one. Read from Node's request target
 * (`app.request()` tests have none: their URL is resolved already).
 * @example app.use(refuseDotSegments())
 */
export function refuseDotSegments(): MiddlewareHandler {
  return async function refuseDotSegments(c, next) {
    const target = requestTarget(c)
    if (target !== undefined && hasDotSegment(target)) {
      return c.json(errorBody('bad_request', 'An address with "." or ".." segments is none of this site: send the path they lead to.'), 400)
    }
    return next()
  }
}

/** Whether the path of a request target (origin-form, or absolute-form: its authority skipped) has a dot segment, plain or percent-encoded. */
export function hasDotSegment(target: string): boolean {
  // Most targets have neither: no regular expression for them.
  if (!target.includes('.') && !target.includes('%')) return false
  const end = target.search(/[?#]/)
  let path = end === -1 ? target : target.slice(0, end)
  if (!path.startsWith('/')) path = path.replace(/^[a-z][a-z\d+.-]*:\/\/[^/]*/i, '')
  return DOT_SEGMENT.test(path)
}

const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i
