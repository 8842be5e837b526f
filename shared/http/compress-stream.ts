import { Readable, pipeline } from 'node:stream'
import type { ReadableStream as NodeWebStream } from 'node:stream/web'
import { constants, createGzip } from 'node:zlib'
import type { MiddlewareHandler } from 'hono'

/**
 * Gzips streamed HTML and NDJSON (responses without Content-Length) with a sync flush after every
 * chunk, so a page's shell, or a navigation's first line, arrives before its slow parts. Hono's `compress()` uses
 * CompressionStream, which holds output back until it has a full block: right for whole bodies,
 * wrong for streams. Register it after `compress()`: it runs first on the way out and sets
 * Content-Encoding, which makes `compress()` leave the response alone.
 * @example app.use(compress(), compressStream())
 */
export function compressStream(): MiddlewareHandler {
  return async function compressStream(c, next) {
    await next()
    const res = c.res
    if (!res.body || res.headers.has('Content-Length') || res.headers.has('Content-Encoding')) return
    if (!streamedType.test(res.headers.get('Content-Type') ?? '')) return
    if (c.req.method === 'HEAD' || !acceptsGzip(c.req.header('Accept-Encoding'))) return
    const gzip = createGzip({ flush: constants.Z_SYNC_FLUSH })
    // pipeline() tears both ends down on error or when the client goes away.
    pipeline(Readable.fromWeb(res.body as NodeWebStream<Uint8Array>), gzip, () => {})
    const body = Readable.toWeb(gzip)
    c.res = new Response(body as ReadableStream<Uint8Array>, res)
    c.res.headers.set('Content-Encoding', 'gzip')
    c.res.headers.append('Vary', 'Accept-Encoding')
  }
}

const streamedType = /^(text\/html|application\/x-ndjson)\b/

function acceptsGzip(header: string | undefined): boolean {
  return !!header && /\bgzip\b(?!\s*;\s*q=0(?:\.0*)?\b)/i.test(header)
}
