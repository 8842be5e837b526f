import { createServer, type Server } from 'node:http'
import { getRequestListener } from '@hono/node-server'
import type { Logger } from '#shared/log'
import type { Fetch } from './app-entry.ts'
import { listenError } from './listen-error.ts'

/** METRICS_PORT: `/metrics` on a listener of its own, bound to 127.0.0.1, so only this host reaches it. */
export function listenForMetrics(fetch: Fetch, port: number, log: Logger): Promise<Server> {
  const server = createServer(getRequestListener(fetch))
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(listenError(err, 'METRICS_PORT', '127.0.0.1', port))) // the process stops with it
    server.listen(port, '127.0.0.1', () => {
      const address = server.address()
      log.info('metrics listening', { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/metrics` })
      resolve(server)
    })
  })
}
