import type { Context } from 'hono'

/**
 * Reads what is left of a refused request's body and drops it, so a client still sending it is not
 * reset before it reads the answer (a browser would show "connection reset", not the 413 page)
 * and the connection stays usable. Only a body of a known length up to `maxBytes`, for at most
 * `timeoutMs`; false when it will not (chunked, larger, already read): then close the connection.
 * (@hono/node-server's own drain stalls here: the body is a web stream nobody reads, and it
 * hangs up after 0.5 s.)
 */
export function discardRestOfBody(c: Context, { maxBytes, timeoutMs }: { maxBytes: number; timeoutMs: number }): boolean {
  const body = c.req.raw.body
  if (!body || body.locked || !(Number(c.req.header('Content-Length')) <= maxBytes)) return false
  // Aborted, the body is cancelled and the connection with it: nothing to report.
  body.pipeTo(new WritableStream(), { signal: AbortSignal.timeout(timeoutMs) }).catch(() => {})
  return true
}
