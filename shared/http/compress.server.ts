import { Readable, pipeline } from 'node:stream'
import type { ReadableStream as NodeWebStream } from 'node:stream/web'
import { promisify } from 'node:util'
import { constants, createGzip, gzip } from 'node:zlib'
import type { MiddlewareHandler } from 'hono'
import { parseAccept } from 'hono/utils/accept'
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress'
import { requestHeader } from './node-http.server.ts'
import { toWebStream } from './web-stream.server.ts'
import { varyOn } from './vary.ts'

/** Streamed HTML and NDJSON: the types whose parts must arrive as they are written. */
export const STREAMED_TYPE = /^(text\/html|application\/x-ndjson)\b/
const noTransform = /(?:^|,)\s*no-transform\s*(?:,|$)/i
const gzipAsync = promisify(gzip)

/**
 * gzip for clients that take it, without ever holding a stream back. A streamed page (HTML or
 * NDJSON without Content-Length) is gzipped with a sync flush after every chunk, so its shell
 * arrives before its slow parts. A whole body of 1 KiB or more is gzipped in one piece.
 * Responses are only read when they will be compressed: looking at a body turns Hono's light
 * response into a web stream, which costs more than a small request itself.
 * @example app.use(compressResponses())
 */
/** Smaller bodies go as they are: gzip's header and a round trip's worth of CPU buy nothing. */
export const COMPRESS_THRESHOLD_BYTES = 1024

export function compressResponses({ threshold = COMPRESS_THRESHOLD_BYTES }: { threshold?: number } = {}): MiddlewareHandler {
  return async function compressResponses(c, next) {
    await next()
    const res = c.res
    const type = res.headers.get('Content-Type')
    if (!type || !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) || res.status === 204 || res.status === 206 || res.status === 304) return
    if (res.headers.has('Content-Encoding') || noTransform.test(res.headers.get('Cache-Control') ?? '')) return
    varyOn(res.headers, 'Accept-Encoding')
    if (!acceptsGzip(requestHeader(c, 'Accept-Encoding'))) return
    // A HEAD says what its GET would (RFC 9110 §9.3.2; a cache keys both alike): the same
    // Content-Encoding, and a whole body's gzipped length. (Hono hands a HEAD the GET's answer,
    // body included, and drops the body last.)
    const head = c.req.method === 'HEAD'
    const length = res.headers.get('Content-Length')
    if (c.get('streamedBody') || (length === null && STREAMED_TYPE.test(type))) {
      // A HEAD never read (that would wait for the slowest part), nor rendered at all: a streamed
      // page's HEAD has no body (render-page), and still names its GET's encoding.
      if (head) c.res = new Response(null, res)
      else {
        if (!res.body) return
        const gzipped = createGzip({ flush: constants.Z_SYNC_FLUSH })
        // pipeline() tears both ends down on error or when the client goes away.
        pipeline(Readable.fromWeb(res.body as NodeWebStream<Uint8Array>), gzipped, () => {})
        c.res = new Response(toWebStream(gzipped), res)
      }
      c.res.headers.delete('Content-Length') // an upstream's: the gzipped bytes are others
    } else {
      if (length !== null && Number(length) < threshold) return
      const body = new Uint8Array(await res.arrayBuffer())
      if (body.byteLength < threshold) return void (c.res = new Response(body, res))
      const gzipped = new Uint8Array(await gzipAsync(body))
      c.res = new Response(head ? null : gzipped, res)
      // The server counts a GET's gzipped bytes; a HEAD's are counted here, as its GET's would be.
      if (head) c.res.headers.set('Content-Length', String(gzipped.byteLength))
      else c.res.headers.delete('Content-Length')
    }
    c.res.headers.set('Content-Encoding', 'gzip')
    // Same meaning, other bytes: a strong validator would promise byte equality.
    const etag = c.res.headers.get('ETag')
    if (etag && !etag.startsWith('W/')) c.res.headers.set('ETag', `W/${etag}`)
  }
}

/** gzip (or x-gzip, its old name: RFC 9110 §8.4.1.3), or `*`, with a q-value above zero (and gzip not refused by name). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false
  const accepts = parseAccept(header)
  const gzip = accepts.find((accept) => accept.type.toLowerCase() === 'gzip') ?? accepts.find((accept) => accept.type.toLowerCase() === 'x-gzip')
  if (gzip) return gzip.q > 0
  return (accepts.find((accept) => accept.type === '*')?.q ?? 0) > 0
}
