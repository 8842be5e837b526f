import { connect, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { serversFor, type ServerProcess } from './support/server-process.ts'

/**
 * Slow clients against the built server, with short bounds so the test is quick: headers within
 * 1 s, a whole request within 4 s (HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS), an answer nobody reads
 * 1 s (WRITE_STALL_TIMEOUT_MS). Node's defaults (60 s, 300 s, none) let a client trickling a header
 * at a time hold a connection for a minute, and one that never reads, for ever.
 */
const start = serversFor(inject('builtRoot'))
let server: ServerProcess
beforeAll(async () => {
  server = await start({ HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '4000', WRITE_STALL_TIMEOUT_MS: '1000' })
})

/** A raw connection: what it received so far, and whether the server has closed it. */
function rawConnection(): { socket: Socket; received: () => string; closed: Promise<void> } {
  const { hostname, port } = new URL(server.url)
  const socket = connect(Number(port), hostname)
  let received = ''
  socket.on('data', (data) => (received += data))
  socket.on('error', () => {}) // a write after the server closed: the test reads `closed`
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  return { socket, received: () => received, closed }
}

/** Writes each piece `everyMs` apart while the socket stays open; true when it wrote them all. */
async function trickle(socket: Socket, pieces: string[], everyMs: number): Promise<boolean> {
  for (const piece of pieces) {
    if (socket.destroyed || !socket.writable) return false
    socket.write(piece)
    await sleep(everyMs)
  }
  return true
}

describe('slow clients', () => {
  it('cuts off a client trickling its headers (slowloris) with 408 once HEADERS_TIMEOUT_MS has passed', async () => {
    const { socket, received, closed } = rawConnection()
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n')
    // A header every 300 ms for 9 s: never the blank line that ends them.
    const wroteAll = await Promise.race([
      trickle(
        socket,
        Array.from({ length: 30 }, (_, i) => `X-Slow-${i}: 1\r\n`),
        300,
      ),
      closed.then(() => false),
    ])
    expect(wroteAll).toBe(false)
    await closed
    expect(received()).toMatch(/^HTTP\/1\.1 408 /)
  })

  it('cuts off a body trickling past REQUEST_TIMEOUT_MS with 408', async () => {
    const { socket, received, closed } = rawConnection()
    const body = JSON.stringify({ email: 'slow@example.com', password: 'x'.repeat(40) })
    socket.write(`POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`)
    // One byte every 300 ms: the body would take ~20 s.
    const wroteAll = await Promise.race([trickle(socket, [...body], 300), closed.then(() => false)])
    expect(wroteAll).toBe(false)
    await closed
    expect(received()).toMatch(/^HTTP\/1\.1 408 /)
  })

  it('answers an upload that is slow but within the bounds: its headers at once, its body over 2 s', async () => {
    const { socket, received, closed } = rawConnection()
    const body = JSON.stringify({ email: 'slow@example.com', password: 'a wrong password' })
    socket.write(
      `POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    )
    const pieces = body.match(/.{1,8}/g)!
    expect(await trickle(socket, pieces, 2000 / pieces.length)).toBe(true)
    await closed
    // The app's own answer (a wrong password), not the server's timeout.
    expect(received()).toMatch(/^HTTP\/1\.1 401 /)
  })

  it('closes the connection of a client that stops reading a streamed page (its window full), and says so in the log', async () => {
    const { hostname, port } = new URL(server.url)
    const socket = connect(Number(port), hostname)
    socket.on('error', () => {})
    // 8 MiB of shell, more than the sockets' buffers hold, then a part 8 s later (RENDER_TIMEOUT_MS is 10 s).
    socket.write('GET /demo/bulky?kib=8192&ms=8000 HTTP/1.1\r\nHost: localhost\r\n\r\n')
    socket.pause() // never reads
    while (!server.output().includes('client stopped reading')) await sleep(100)
    // What had reached the client before the cut: the answer's start, never its end.
    let received = ''
    socket.on('data', (data) => (received += data))
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    socket.resume()
    await closed
    expect(received).toMatch(/^HTTP\/1\.1 200 /)
    expect(received).not.toContain('The slow part has arrived.')
    expect(server.output()).toMatch(/"msg":"client stopped reading the answer: connection closed","method":"GET","path":"\/demo\/bulky","timeoutMs":1000/)
    // The next visitor is served.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })
})
