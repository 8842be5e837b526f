import type { Context, MiddlewareHandler } from 'hono'
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress'
import { getMimeType } from 'hono/utils/mime'
import { requestHeader } from './node-http.server.ts'
import { evaluatePreconditions, type Validators } from './preconditions.ts'

/**
 * Conditional GET and HEAD of a file (RFC 9110 §13): its validators on a 200 or 206, a 304 when
 * the client's copy is current, a 412 for an If-Match naming another version, and the whole file
 * (Range dropped) for a Range whose If-Range names another version. `validatorsOf` undefined: not
 * a file here, passed on untouched.
 * @example app.use('/assets/*', answerPreconditions((c) => ({ etag: '"v1"' })), serveStatic({ root }))
 */
export function answerPreconditions(validatorsOf: (c: Context) => Validators | undefined): MiddlewareHandler {
  return async function answerPreconditions(c, next) {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next()
    const validators = validatorsOf(c)
    if (!validators) return next()
    const answer = conditionalAnswer(c, validators)
    if (answer instanceof Response) return answer
    if (answer === 'whole') c.req.raw.headers.delete('Range')
    await next()
    if (c.res.status === 200 || c.res.status === 206) c.res.headers.set('ETag', validators.etag)
  }
}

/**
 * A GET's or HEAD's conditions answered: a 412 or a 304 (with what its 200 would say of the file:
 * validators, Vary, and headers set on the context before), or how to serve it (`whole`: ignore Range).
 * @example const answer = conditionalAnswer(c, { etag }); if (answer instanceof Response) return answer
 */
export function conditionalAnswer(c: Context, validators: Validators, type = getMimeType(c.req.path)): Response | 'serve' | 'whole' {
  const outcome = evaluatePreconditions(
    {
      ifMatch: requestHeader(c, 'If-Match'),
      ifUnmodifiedSince: requestHeader(c, 'If-Unmodified-Since'),
      ifNoneMatch: requestHeader(c, 'If-None-Match'),
      ifModifiedSince: requestHeader(c, 'If-Modified-Since'),
      range: c.req.method === 'GET' ? requestHeader(c, 'Range') : undefined,
      ifRange: requestHeader(c, 'If-Range'),
    },
    validators,
  )
  // Never kept: the Cache-Control a route set for its file (a day, public) would let a CDN hand
  // one client's 412 to everyone asking for the file.
  if (outcome.answer === 'failed') return c.body(null, 412, { 'Cache-Control': 'no-store' })
  if (outcome.answer !== 'notModified') return outcome.answer
  const headers: Record<string, string> = { ETag: outcome.etag }
  if (validators.lastModified) headers['Last-Modified'] = validators.lastModified
  // What the 200 varies by: compressResponses marks every compressible type's 200 so.
  if (COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type ?? '')) headers.Vary = 'Accept-Encoding'
  return c.body(null, 304, headers)
}
