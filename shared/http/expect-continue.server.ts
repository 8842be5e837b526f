import type { IncomingMessage, ServerResponse } from 'node:http'

type Reading = IncomingMessage & { _read(size: number): void }

/**
 * `Expect: 100-continue` (RFC 9110 §10.1.1): the client waits for a 100 before it sends its body.
 * Node sends that 100 at once, before the app has seen the request, so an upload the app refuses
 * on its headers alone (413 by Content-Length, 403 cross-site, 401, 405) was sent whole all the
 * same. For the server's `checkContinue` event: the 100 goes when the app first reads the body
 * (the stream's `_read`, the one way every reader pulls from the socket), and not at all when
 * the app answers first; that answer closes the connection, since a client told no may never
 * send the body its Content-Length promised. `keepAlive()` false (shutting down): closes anyway.
 * @example server.on('checkContinue', (req, res) => { continueWhenRead(req, res); server.emit('request', req, res) })
 */
export function continueWhenRead(req: IncomingMessage, res: ServerResponse, keepAlive: () => boolean = () => true): void {
  res.setHeader('Connection', 'close')
  const reading = req as Reading
  const read = reading._read
  reading._read = function firstRead(size) {
    reading._read = read
    if (!res.headersSent) {
      if (keepAlive()) res.removeHeader('Connection')
      res.writeContinue()
    }
    read.call(this, size)
  }
}
