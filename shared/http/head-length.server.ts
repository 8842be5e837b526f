import type { MiddlewareHandler } from 'hono'
import { STREAMED_TYPE } from './compress.server.ts'

/**
 * A HEAD names the Content-Length its GET would. Node counts a GET's whole body into
 * Content-Length itself, but Hono answers a HEAD with the GET's headers and no body, so a JSON
 * answer (`c.json()`: the API, `/healthz`) said nothing of its size. Counted here only for a
 * HEAD, and only for a whole body: a streamed one (a page with deferred parts, an upstream's) has
 * no length on its GET either, and reading it would wait for its slowest part.
 * @example app.use(headContentLength(), compressResponses())
 */
export function headContentLength(): MiddlewareHandler {
  return async function headContentLength(c, next) {
    await next()
    if (c.req.method !== 'HEAD') return
    const res = c.res
    if (!res.body || res.headers.has('Content-Length') || res.headers.has('Content-Encoding') || c.get('streamedBody')) return
    if (STREAMED_TYPE.test(res.headers.get('Content-Type') ?? '')) return
    const bytes = (await res.arrayBuffer()).byteLength
    // The body goes unsent (a HEAD): the headers alone matter. Unset first, or Hono's setter
    // would merge the old answer's headers in.
    const headers = new Headers(res.headers)
    headers.set('Content-Length', String(bytes))
    c.res = undefined
    c.res = new Response(null, { status: res.status, headers })
  }
}
