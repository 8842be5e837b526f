import { STATUS_CODES, type Server } from 'node:http'
import type { Socket } from 'node:net'
import type { Config } from '#shared/config'
import { FIXED_HEADERS, statusErrorBody } from '#shared/http'

type ClientError = NodeJS.ErrnoException

/** The security headers of every other answer, with the strictest policy: it has nothing to run or frame. */
const STRICT_HEADERS = [...FIXED_HEADERS, ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"]]
const SECURITY_HEADERS = STRICT_HEADERS.map(([name, value]) => `${name}: ${value}\r\n`).join('')
/** Node's own answer in progress on the connection, if any (a keep-alive connection's last request). */
type ServerSocket = Socket & { _httpMessage?: { headersSent: boolean } | null }

/**
 * Answers what Node's HTTP parser refused before the app saw it (a malformed request line, an
 * unknown method, headers over 16 KB, a request too slow to arrive) with the app's JSON error
 * body, like every other error: Node's own answer is an empty 400 with no type. A connection
 * already gone, or one whose answer has started, is only closed.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: ClientError, socket: ServerSocket) => {
    if (err.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent) return void socket.destroy()
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
    const body = JSON.stringify(statusErrorBody(status))
    // The security headers every answer carries, though this one never reached the app.
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${SECURITY_HEADERS}Connection: close\r\n\r\n${body}`,
    )
  })
}

/**
 * The listener's `errorHandler` (`getRequestListener(fetch, { errorHandler })`): what
 * @hono/node-server refused before the app saw it (a backslash in the path, an invalid Host,
 * `OPTIONS *`), or a throw out of the app itself, answered as every other error, where the
 * library answers an empty 400 (or 500) with no type and none of the security headers.
 */
export function answerRequestErrors(error: unknown): Response {
  const status = (error as Error | null)?.name === 'RequestError' ? 400 : 500
  return new Response(JSON.stringify(statusErrorBody(status)), {
    status,
    headers: [['Content-Type', 'application/json'], ...STRICT_HEADERS] as [string, string][],
  })
}

/**
 * The host of a request that names none, which only HTTP/1.0 may send (Node refuses an HTTP/1.1
 * one): HAProxy's health checks, by default `GET /readyz HTTP/1.0` with no Host, were a 400 and
 * the host was taken out. PUBLIC_URL's host, else `localhost` (the listener's `hostname`).
 */
export function hostWithoutHostHeader(config: Pick<Config, 'PUBLIC_URL'>): string {
  return config.PUBLIC_URL ? new URL(config.PUBLIC_URL).host : 'localhost'
}
