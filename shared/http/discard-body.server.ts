import type { IncomingMessage, ServerResponse } from 'node:http'

/** The most of an unread request body read and dropped to keep its connection, and for how long. */
export const DISCARD_MAX_BYTES = 64 * 1024 * 1024
export const DISCARD_TIMEOUT_MS = 10_000

/**
 * Keeps a kept-alive connection whose request was answered before its body was read (a 401, 403,
 * 405 or 413 answered on the headers alone), so a client still sending the body is not reset
 * before it reads the answer (a browser shows "connection reset", not the page) and can send its
 * next request. After the answer, what is left of the body is read and dropped, up to `maxBytes`
 * and for `timeoutMs` at most; past either, the connection is closed. A body declared larger is
 * never read: its answer says `Connection: close`.
 *
 * Called for every request before the app sees it, with @hono/node-server's own clean-up off
 * (`autoCleanupIncoming: false`): that one drops the connection 0.5 s after the answer, so a
 * body still arriving then (a slow upload, a large one) met a reset all the same.
 * @example server.on('request', (req, res) => { discardUnreadBody(req, res); listener(req, res) })
 */
export function discardUnreadBody(
  req: IncomingMessage,
  res: ServerResponse,
  { maxBytes = DISCARD_MAX_BYTES, timeoutMs = DISCARD_TIMEOUT_MS }: { maxBytes?: number; timeoutMs?: number } = {},
): void {
  const declared = req.headers['content-length']
  if (declared === undefined ? req.headers['transfer-encoding'] === undefined : Number(declared) === 0) return
  if (Number(declared) > maxBytes) return void res.setHeader('Connection', 'close')
  res.once('finish', () => {
    if (req.readableEnded || req.destroyed) return
    let bytes = 0
    const hangUp = () => req.socket.destroy()
    const timer = setTimeout(hangUp, timeoutMs).unref()
    // A web stream the app stopped reading (a body limit's refusal) holds the request paused.
    req.removeAllListeners('data')
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes > maxBytes) hangUp()
    })
    req.once('close', () => clearTimeout(timer))
    req.resume()
  })
}
