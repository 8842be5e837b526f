import { createServer, get, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { discardUnreadBody } from '#shared/http'
import { createGunzip } from 'node:zlib'

export interface TimedResponse {
  status: number
  headers: IncomingHttpHeaders
  /** Decoded body pieces as they arrived, with ms since the request was sent. */
  chunks: { at: number; text: string }[]
  body: string
}

/**
 * A GET over a real socket that notes when each piece of the body arrives (after gunzip, when
 * the server compressed it): what a browser on the wire would see.
 */
export function timedGet(url: string, headers: Record<string, string> = {}): Promise<TimedResponse> {
  return new Promise((resolve, reject) => {
    const start = performance.now()
    get(url, { headers }, (res) => {
      const chunks: TimedResponse['chunks'] = []
      const source = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res
      source.setEncoding('utf8')
      source.on('data', (text: string) => chunks.push({ at: performance.now() - start, text }))
      source.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, chunks, body: chunks.map((c) => c.text).join('') }))
      source.on('error', reject)
    }).on('error', reject)
  })
}

/** The app on a real socket (127.0.0.1, a free port) as production serves it: Node's request and response. */
export async function serveOnSocket(
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>,
): Promise<{ url: string; close(): Promise<void> }> {
  // As serve() does: unread request bodies are discardUnreadBody's, not the adapter's.
  const listener = getRequestListener(fetch, { autoCleanupIncoming: false })
  const server = createServer((req, res) => {
    discardUnreadBody(req, res)
    void listener(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
