import { createHash, hash } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { etag, RETAINED_304_HEADERS } from 'hono/etag'
import { requestHeader } from './node-http.server.ts'

/**
 * ETags on API answers, and 304 Not Modified for a matching If-None-Match (Hono's etag()). The
 * tag of a JSON answer is the SHA-1 of its text, taken as `c.json()` writes it: once the handler
 * has returned, the body can only be read by cloning it as a web stream, which costs several
 * times the request itself. Other bodies still get theirs that way. A 304 keeps the answer's
 * `Set-Cookie`: a session renewed or cleared on a revalidation must reach the client all the same.
 * @example app.use('/api/*', apiEtags())
 */
export function apiEtags(): MiddlewareHandler {
  const revalidate = etag({
    retainedHeaders: [...RETAINED_304_HEADERS, 'set-cookie'],
    generateDigest: (body) => Uint8Array.from(createHash('sha1').update(body).digest()).buffer,
  })
  return async (c, next) => {
    await revalidate(c, async () => {
      if (c.req.method === 'GET' || c.req.method === 'HEAD') tagJsonOf(c)
      await next()
    })
    // A 304 names what its 200 varies by (RFC 9110 §15.4.5); an API answer's 200 is JSON, which
    // compressResponses (outside) marks `Vary: Accept-Encoding`. Only a request with a tag can get one.
    if (requestHeader(c, 'If-None-Match') === undefined || c.res.status !== 304) return
    if (!/\baccept-encoding\b/i.test(c.res.headers.get('Vary') ?? '')) c.res.headers.append('Vary', 'Accept-Encoding')
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
    if (status < 300) c.header('ETag', `"${hash('sha1', text)}"`) // one-shot: no Hash object per response
    c.header('Content-Type', 'application/json')
    return body(text, arg, headers)
  }) as Context['json']
}
