import { hash } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { RETAINED_304_HEADERS } from 'hono/etag'
import { requestHeader } from './node-http.server.ts'
import { ifNoneMatchNames } from './preconditions.ts'
import { varyOn } from './vary.ts'

/** What a 304 keeps of its 200 (RFC 9110 §15.4.5), and `Set-Cookie`: a session renewed or cleared on a revalidation must reach the client all the same. */
const KEPT_ON_304 = [...RETAINED_304_HEADERS, 'set-cookie']

/**
 * ETags on API answers, and 304 Not Modified for a matching If-None-Match. The tag of a JSON
 * answer is the SHA-1 of its text, taken as `c.json()` writes it, weak (`W/"…"`). An answer without a tag (a
 * remote domain's, streamed through) is left alone: Hono's etag() would digest its body, holding a
 * proxied answer whole in memory before its first byte leaves.
 * @example app.use('/api/*', apiEtags())
 */
export function apiEtags(): MiddlewareHandler {
  return async (c, next) => {
    const reads = c.req.method === 'GET' || c.req.method === 'HEAD'
    if (reads) tagJsonOf(c)
    await next()
    const ifNoneMatch = requestHeader(c, 'If-None-Match')
    const tag = c.res.headers.get('ETag')
    if (!reads || ifNoneMatch === undefined || !c.res.ok || !tag || !ifNoneMatchNames(ifNoneMatch, tag)) return
    await c.res.body?.cancel()
    const headers = new Headers()
    for (const name of KEPT_ON_304)
      for (const value of name === 'set-cookie' ? c.res.headers.getSetCookie() : [c.res.headers.get(name)]) if (value !== null) headers.append(name, value)
    // A 304 names what its 200 varies by; an API answer's 200 is JSON, which compressResponses
    // (outside) marks `Vary: Accept-Encoding`.
    varyOn(headers, 'Accept-Encoding')
    // Unset first: Hono's setter would copy every header of the 200 onto the 304.
    c.res = undefined
    c.res = new Response(null, { status: 304, headers })
  }
}

/** Makes this request's `c.json()` also set the ETag of the text it writes, when it is a success. */
function tagJsonOf(c: Context): void {
  // Same arguments as c.json() (status or init, headers), passed on as they came.
  const body = c.body as (text: string, arg?: unknown, headers?: unknown) => Response
  c.json = ((object: unknown, arg?: unknown, headers?: unknown) => {
    const text = JSON.stringify(object)
    // An error is no representation of the resource: nothing to revalidate.
    const status = typeof arg === 'number' ? arg : ((arg as ResponseInit | undefined)?.status ?? 200)
    // Weak: the same tag for the plain and the gzipped bytes, so a 304 (never compressed) names
    // the tag its 200 had, gzipped or not. If-None-Match compares weakly anyway.
    if (status < 300) c.header('ETag', `W/"${hash('sha1', text)}"`) // one-shot: no Hash object per response
    c.header('Content-Type', 'application/json')
    return body(text, arg, headers)
  }) as Context['json']
}
