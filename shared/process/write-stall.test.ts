import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { cutStalledWrites } from './write-stall.server.ts'

/**
 * A client that sends its request and never reads (the socket paused: its TCP window fills), against
 * an answer that would stream for ever. Short bounds so the test is quick; no timing is asserted,
 * only what happens (the stream is cancelled, the connection closed).
 */
describe('cutStalledWrites', () => {
  let server: Server | undefined
  afterEach(() => {
    server?.closeAllConnections()
    return new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  })

  /** A server whose `/endless` streams 64 KiB chunks as fast as they are taken; `cancelled` settles when the stream is ended. */
  async function endlessServer(stallMs: number) {
    let cancelled!: () => void
    const streamCancelled = new Promise<void>((resolve) => (cancelled = resolve))
    const cuts: string[] = []
    const chunk = new Uint8Array(64 * 1024).fill(120)
    const app = new Hono()
      .get('/endless', (c) => c.body(new ReadableStream({ pull: (controller) => controller.enqueue(chunk), cancel: () => cancelled() })))
      .get('/quick', (c) => c.text('at once'))
      .get('/slow', async (c) => {
        await new Promise((resolve) => setTimeout(resolve, stallMs * 3))
        return c.text('worth the wait')
      })
    const listener = getRequestListener(app.fetch)
    server = createServer((req, res) => {
      cutStalledWrites(res, stallMs, () => cuts.push(req.url ?? ''))
      void listener(req, res)
    })
    const closedOnServer = new Promise<void>((resolve) => server!.once('connection', (socket) => socket.once('close', () => resolve())))
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    return { port: (server.address() as AddressInfo).port, streamCancelled, closedOnServer, cuts }
  }

  it('closes the connection of a client that stopped reading, which ends the answer it was streaming', async () => {
    const { port, streamCancelled, closedOnServer, cuts } = await endlessServer(200)
    const client = connect(port, '127.0.0.1')
    client.on('error', () => {})
    client.write('GET /endless HTTP/1.1\r\nHost: localhost\r\n\r\n')
    client.pause() // never reads: the window fills and the server's writes stall
    await closedOnServer
    await streamCancelled
    expect(cuts).toEqual(['/endless'])
    client.destroy()
  })

  it('leaves alone a pipelined answer waiting for the app (its socket was the answer before it)', async () => {
    const { port, cuts } = await endlessServer(100)
    const client = connect(port, '127.0.0.1')
    let received = ''
    client.on('data', (data) => (received += data))
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()))
    client.write('GET /quick HTTP/1.1\r\nHost: localhost\r\n\r\nGET /slow HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')
    await closed
    expect(received.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200'])
    expect(received).toContain('worth the wait')
    expect(cuts).toEqual([])
  })

  it('leaves alone an answer that is only waiting for the app, however long', async () => {
    const { port, cuts } = await endlessServer(100)
    const res = await fetch(`http://127.0.0.1:${port}/slow`)
    expect([res.status, await res.text()]).toEqual([200, 'worth the wait'])
    expect(cuts).toEqual([])
  })
})
