import { connect, createServer, type Socket } from 'node:net'

export interface SilentProxy {
  /** The proxy's port on 127.0.0.1. */
  port: number
  /**
   * The network goes silent, as a cut cable or a failover to another address: no byte crosses
   * any connection open now, ever again, and none is closed; connections opened meanwhile get
   * nothing either.
   */
  silence(): void
  /** New connections go through again; the silenced ones stay silent. */
  heal(): void
  close(): Promise<void>
}

/** A TCP proxy to `port` on `host` that can go silent without closing anything (a dead network, not a stopped server). */
export async function startSilentProxy(host: string, port: number): Promise<SilentProxy> {
  let silent = false
  const open = new Set<Socket>()
  const pairs = new Set<[Socket, Socket]>()
  const drop = (socket: Socket) => {
    socket.removeAllListeners('data')
    socket.on('data', () => {})
  }
  const server = createServer((client) => {
    open.add(client)
    client.on('error', () => {})
    client.on('close', () => open.delete(client))
    if (silent) return drop(client)
    const upstream = connect(port, host)
    open.add(upstream)
    upstream.on('error', () => client.destroy())
    upstream.on('close', () => open.delete(upstream))
    client.on('close', () => upstream.destroy())
    client.pipe(upstream)
    upstream.pipe(client)
    pairs.add([client, upstream])
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('no port')
  return {
    port: address.port,
    silence() {
      silent = true
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream)
        upstream.unpipe(client)
        drop(client)
        drop(upstream)
      }
      pairs.clear()
    },
    heal() {
      silent = false
    },
    async close() {
      for (const socket of open) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
