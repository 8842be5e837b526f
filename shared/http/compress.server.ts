import { Readable, pipeline } from 'node:stream'
import type { ReadableStream as NodeWebStream } from 'node:stream/web'
import { constants, createGzip } from 'node:zlib'
import type { MiddlewareHandler } from 'hono'
import { compress } from 'hono/compress'
import { parseAccept } from 'hono/utils/accept'

/** Streamed HTML and NDJSON: the types whose parts must arrive as they are written. */
const streamedType = /^(text\/html|application\/x-ndjson)\b/

/**
 * Compression that never holds a stream back. A streamed page (no Content-Length) is gzipped
 * with a sync flush after every chunk, so its shell arrives before its slow parts, or sent as is
 * when the client takes no gzip. Whole bodies go to Hono's `compress()`, whose CompressionStream
 * waits for full blocks: right for them, wrong for streams.
 * @example app.use(compressResponses())
 */
export function compressResponses(options: Parameters<typeof compress>[0] = {}): MiddlewareHandler {
  const whole = compress(options)
  return async function compressResponses(c, next) {
    await next()
    const res = c.res
    const streamed = !!res.body && !res.headers.has('Content-Length') && streamedType.test(res.headers.get('Content-Type') ?? '')
    if (!streamed) return whole(c, async () => {})
    if (res.headers.has('Content-Encoding') || c.req.method === 'HEAD') return
    res.headers.append('Vary', 'Accept-Encoding')
    if (!acceptsGzip(c.req.header('Accept-Encoding'))) return
    const gzip = createGzip({ flush: constants.Z_SYNC_FLUSH })
    // pipeline() tears both ends down on error or when the client goes away.
    pipeline(Readable.fromWeb(res.body as NodeWebStream<Uint8Array>), gzip, () => {})
    c.res = new Response(Readable.toWeb(gzip) as ReadableStream<Uint8Array>, res)
    c.res.headers.set('Content-Encoding', 'gzip')
  }
}

/** gzip, or `*`, with a q-value above zero (and gzip not refused by name). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false
  const accepts = parseAccept(header)
  const gzip = accepts.find((accept) => accept.type.toLowerCase() === 'gzip')
  if (gzip) return gzip.q > 0
  return (accepts.find((accept) => accept.type === '*')?.q ?? 0) > 0
}
