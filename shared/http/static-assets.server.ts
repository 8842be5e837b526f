import { hash } from 'node:crypto'
import { readFileSync, statSync, type Stats } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { getMimeType } from 'hono/utils/mime'
import { singleByteRange } from './byte-range.ts'
import { requestHeader } from './node-http.server.ts'
import { answerPreconditions } from './answer-preconditions.server.ts'
import type { Validators } from './preconditions.ts'

/** One file of the client build by its URL path (`/assets/x.js`); undefined when there is none. */
export type AssetReader = (path: string) => ArrayBuffer | undefined

const IMMUTABLE = 'public, max-age=31536000, immutable'

/**
 * Serves the client build's hashed files under `/assets/`, from a folder or, in the single
 * executable, from memory. A hashed name never changes content, so browsers and CDNs may keep it
 * for a year without asking again; those that ask anyway (a reload, a CDN revalidating) get a 304.
 * @example app.route('/', staticAssets('/srv/tessera/dist/client'))
 */
export function staticAssets(from: string | AssetReader): Hono {
  return new Hono().use(
    '/assets/*',
    async function immutable(c, next) {
      await next()
      // A part of the file (206, a Range request) is as immutable as the whole, and a 304 says so again.
      if (c.res.status === 200 || c.res.status === 206 || c.res.status === 304) c.res.headers.set('Cache-Control', IMMUTABLE)
    },
    ...(typeof from === 'string'
      ? [answerPreconditions(folderValidators(from)), headLikeGet(from), oneRangeOrNone, serveStatic({ root: from })]
      : [answerPreconditions(memoryValidators(from)), serveFromMemory(from)]),
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

/** The file under `root` a URL path names, when serveStatic would serve it (no escapes, no `..`): the rest it refuses. */
function fileOf(root: string, path: string): { file: string; stats: Stats } | undefined {
  if (path.includes('%') || /(?:^|[/\\])\.{1,2}(?:$|[/\\])|[/\\]{2,}|\\/.test(path)) return undefined
  const file = join(root, path)
  try {
    const stats = statSync(file, { throwIfNoEntry: false })
    return stats?.isFile() ? { file, stats } : undefined
  } catch {
    return undefined // a name no file can have (a NUL, `/assets/%00`: stat throws), or one it may not read
  }
}

/**
 * A digest of the file's bytes, and the Last-Modified serveStatic sends. Not its size and mtime
 * (nginx's tag): each host unpacking the same build gets its own mtimes, so a client sent to
 * another host by a load balancer had a tag no host but the first would match, and never a 304.
 * Each file is read and hashed once, when first asked for, and again only if its size or mtime
 * changes (hashed names never do).
 */
function folderValidators(root: string): (c: Context) => Validators | undefined {
  const known = new Map<string, { size: number; mtimeMs: number; etag: string }>()
  return (c) => {
    const found = fileOf(root, c.req.path)
    if (!found) return undefined
    const { size, mtimeMs, mtime } = found.stats
    let tag = known.get(found.file)
    if (tag?.size !== size || tag.mtimeMs !== mtimeMs) {
      tag = { size, mtimeMs, etag: digestTag(readFileSync(found.file)) }
      known.set(found.file, tag)
    }
    return { etag: tag.etag, lastModified: mtime.toUTCString() }
  }
}

/** A strong tag of these bytes, the same on every host. */
const digestTag = (bytes: Uint8Array) => `"${hash('sha1', bytes, 'base64url')}"`

/**
 * A HEAD answered with its GET's body, which the server never sends: compressResponses then names
 * the encoding and gzipped length its GET has. serveStatic's HEAD has no body, so it went
 * uncompressed, its length the plain file's, while its GET said gzip (RFC 9110 §9.3.2).
 */
function headLikeGet(root: string): MiddlewareHandler {
  return async function headLikeGet(c, next) {
    const found = c.req.method === 'HEAD' ? fileOf(root, c.req.path) : undefined
    if (!found) return next()
    const body = new Uint8Array(await readFile(found.file))
    return c.body(body, 200, {
      'Content-Type': getMimeType(found.file) ?? 'application/octet-stream',
      'Content-Length': String(body.byteLength),
      'Last-Modified': found.stats.mtime.toUTCString(),
    })
  }
}

/** The bytes' digest, taken once a file (the single executable's files never change). */
function memoryValidators(read: AssetReader): (c: Context) => Validators | undefined {
  const tags = new Map<string, string>()
  return (c) => {
    const path = c.req.path
    let etag = tags.get(path)
    if (etag === undefined) {
      const body = read(path)
      if (!body) return undefined
      etag = digestTag(new Uint8Array(body))
      tags.set(path, etag)
    }
    return { etag }
  }
}

function serveFromMemory(read: AssetReader): MiddlewareHandler {
  return async function memoryAsset(c, next) {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next()
    const body = read(c.req.path)
    if (!body) return next()
    const headers = { 'Content-Type': getMimeType(c.req.path) ?? 'application/octet-stream', 'Content-Length': String(body.byteLength) }
    // A HEAD too: the server sends no body, and compressResponses names the GET's encoding and length.
    return c.body(body, 200, headers)
  }
}
