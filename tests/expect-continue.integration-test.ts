import { connect } from 'node:net'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { serversFor, type ServerProcess } from './support/server-process.ts'

/**
 * `Expect: 100-continue` against the built server: the client sends its body only after a 100.
 * An upload the app refuses on its headers alone gets its answer instead, and never a 100.
 */
const start = serversFor(inject('builtRoot'))
let server: ServerProcess
beforeAll(async () => {
  server = await start()
})

const body = JSON.stringify({ email: 'expect@example.com', password: 'a wrong password' })

/**
 * Sends a request's head with `Expect: 100-continue`; on a 100 sends the body (and `then`, a
 * second request on the same connection). Resolves with all it received once the server closes.
 */
function expectContinue(head: string, then = ''): Promise<string> {
  const { hostname, port } = new URL(server.url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    let received = ''
    let sent = false
    socket.on('data', (data) => {
      received += data
      if (received.startsWith('HTTP/1.1 100 Continue\r\n\r\n') && !sent) {
        sent = true
        socket.write(body + then)
      }
    })
    socket.on('close', () => resolve(received))
    socket.on('error', reject)
    socket.write(`${head}\r\nHost: localhost\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n\r\n`)
  })
}

describe('Expect: 100-continue', () => {
  it('sends 100 for a body the app reads, answers it, and keeps the connection for the next request', async () => {
    const received = await expectContinue(
      `POST /api/auth/login HTTP/1.1\r\nContent-Length: ${body.length}`,
      'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    )
    expect(received).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 401 /)
    expect(received.split('\r\n\r\n')[1]).not.toMatch(/\r\nConnection: close\r\n/i)
    expect(received).toMatch(/HTTP\/1\.1 200 OK[\s\S]*"status":"ok"/)
  })

  it('answers an upload refused on its headers alone at once, no 100, closing the connection: the body is never sent', async () => {
    for (const [head, status] of [
      ['POST /api/auth/login HTTP/1.1\r\nContent-Length: 5000000', 413], // over BODY_LIMIT_BYTES
      [`POST /api/auth/login HTTP/1.1\r\nOrigin: https://evil.example\r\nContent-Length: ${body.length}`, 403], // cross-site
      [`POST /api/orders HTTP/1.1\r\nContent-Length: ${body.length}`, 401], // signed out
      [`PUT /products HTTP/1.1\r\nContent-Length: ${body.length}`, 405], // takes no body
    ] as const) {
      const received = await expectContinue(head)
      expect([status, received.slice(0, 12)]).toEqual([status, `HTTP/1.1 ${status}`])
      expect(received).toMatch(/\r\nConnection: close\r\n/i)
      expect(received).not.toContain('100 Continue')
    }
  })
})
