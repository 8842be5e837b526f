import { serveStatic } from '@hono/node-server/serve-static'
import { Hono, type MiddlewareHandler } from 'hono'
import { getMimeType } from 'hono/utils/mime'
import { singleByteRange } from './byte-range.ts'
import { requestHeader } from './node-http.server.ts'

/** One file of the client build by its URL path (`/assets/x.js`); undefined when there is none. */
export type AssetReader = (path: string) => ArrayBuffer | undefined

/**
 * Serves the client build's hashed files under `/assets/`, from a folder or, in the single
 * executable, from memory. A hashed name never changes content, so browsers and CDNs may keep it
 * for a year without asking again.
 * @example app.route('/', staticAssets('/srv/tessera/dist/client'))
 */
export function staticAssets(from: string | AssetReader): Hono {
  return new Hono().use(
    '/assets/*',
    async function immutable(c, next) {
      await next()
      // A part of the file (206, a Range request) is as immutable as the whole.
      if (c.res.status === 200 || c.res.status === 206) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable')
    },
    ...(typeof from === 'string' ? [oneRangeOrNone, serveStatic({ root: from })] : [serveFromMemory(from)]),
  )
}

/**
 * serveStatic answers a Range it cannot read (`bytes=abc`, `bytes=0-1,5-6`) with a 206 of the
 * whole file, and one ending before it starts with a 416: it sees only a range it serves right.
 */
const oneRangeOrNone: MiddlewareHandler = async function oneRangeOrNone(c, next) {
  const range = requestHeader(c, 'Range')
  if (range !== undefined) {
    const single = singleByteRange(range)
    if (single === undefined) c.req.raw.headers.delete('Range')
    else if (single !== range) c.req.raw.headers.set('Range', single)
  }
  await next()
}

function serveFromMemory(read: AssetReader): MiddlewareHandler {
  return async function memoryAsset(c, next) {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next()
    const body = read(c.req.path)
    if (!body) return next()
    const headers = { 'Content-Type': getMimeType(c.req.path) ?? 'application/octet-stream', 'Content-Length': String(body.byteLength) }
    return c.req.method === 'HEAD' ? c.body(null, 200, headers) : c.body(body, 200, headers)
  }
}
