import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/**
 * Closes the connection of an answer nothing has been sent of for `ms` while bytes wait to go: a
 * client that stopped reading (its TCP window full) would otherwise hold the socket, the answer's
 * unsent bytes and a streamed page's render for as long as it liked. Closing it ends the answer's
 * stream, which aborts the render. An answer only waiting for the app (a slow part still loading)
 * has nothing to send and is left alone; one trickling out slowly is not stalled (Node's socket
 * timeout is put back while its write queue moves). Node sets the kept-alive timeout over this
 * one once the answer is out.
 * @example server.on('request', (req, res) => cutStalledWrites(res, config.WRITE_STALL_TIMEOUT_MS, () => log.warn('…')))
 */
export function cutStalledWrites(res: ServerResponse, ms: number, onCut: () => void): void {
  // A pipelined request's answer gets its socket when the one before it is out: bounded from then
  // (the socket's timeout is still the one before's, and with no listener Node would close it).
  if (res.socket) guard(res.socket)
  else res.once('socket', guard)
  function guard(socket: Socket): void {
    socket.setTimeout(ms)
    // Listened for on the answer, not the socket: Node then leaves the socket to us, and only while
    // this answer is the socket's (a later idle keep-alive timeout is Node's again).
    res.on('timeout', (timedOut: Socket) => {
      if (timedOut.writableLength === 0) return // waiting for the app, not for the client
      onCut()
      timedOut.destroy()
    })
  }
}
