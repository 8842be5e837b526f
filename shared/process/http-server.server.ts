import cluster from 'node:cluster'
import type { Server } from 'node:http'
import { Server as NetServer, type Socket } from 'node:net'
import { resolve } from 'node:path'
import type { Config } from '#shared/config'
import type { Db } from '#shared/db'
import { continueWhenRead, discardUnreadBody, startDraining } from '#shared/http'
import { exitAfterLogs, type Logger } from '#shared/log'
import { answerClientErrors } from './client-errors.server.ts'
import { STOP_SIGNALS } from './stop-signals.ts'
import { CANNOT_LISTEN_EXIT, listenError } from './listen-error.ts'
import { listeningUrl } from './listening-url.ts'
import type { Runtime } from './runtime.ts'
import { cutStalledWrites } from './write-stall.server.ts'

/**
 * Serves the runtime on PORT/HOST until SIGTERM or SIGINT, then shuts down gracefully: stops
 * accepting, lets requests in flight finish within SHUTDOWN_TIMEOUT_MS (their connections
 * closing after their answer), closes the runtime and the database, exits 0. Past the deadline:
 * drops the remaining connections and exits 1 (a shutdown that cut requests short is not clean).
 */
export function serve(
  server: Server,
  { runtime, metricsServer, db, config, log }: { runtime: Runtime; metricsServer?: Server | undefined; db: Db; config: Config; log: Logger },
): void {
  let draining = false
  const idle = idleConnections(server)
  server.on('request', (req, res) => {
    // Shutting down: answer, then close the connection instead of keeping it alive.
    if (draining) res.setHeader('Connection', 'close')
    discardUnreadBody(req, res)
    cutStalledWrites(res, config.WRITE_STALL_TIMEOUT_MS, () =>
      log.warn('client stopped reading the answer: connection closed', {
        method: req.method,
        path: req.url?.split('?', 1)[0],
        timeoutMs: config.WRITE_STALL_TIMEOUT_MS,
      }),
    )
    runtime.listener(req, res)
  })
  // Expect: 100-continue: the app's first read of the body sends the 100, so a refusal on the
  // headers alone (413, 403, 401, 405) reaches the client before it sends the body.
  server.on('checkContinue', (req, res) => {
    continueWhenRead(req, res, () => !draining)
    server.emit('request', req, res)
  })
  answerClientErrors(server)
  // Before it listens, an error is the configuration's (a port in use): one line, exit 1.
  const refuse = (err: NodeJS.ErrnoException) => {
    process.stderr.write(`${listenError(err, 'PORT', config.HOST, config.PORT).message}\n`)
    exitAfterLogs(cluster.isWorker ? CANNOT_LISTEN_EXIT : 1)
  }
  server.once('error', refuse)
  server.listen(config.PORT, config.HOST, () => {
    server.off('error', refuse)
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : config.PORT
    // Which database it serves, said at once: a misspelt DATABASE_PATH is a new, empty store.
    log.info('listening', {
      url: listeningUrl(config.HOST, port),
      mode: config.NODE_ENV,
      database: databaseShown(config),
    })
  })

  async function shutdown(signal: string): Promise<void> {
    if (draining) return void log.info('already shutting down', { signal }) // systemd's and the primary's SIGTERM, a second Ctrl-C
    log.info('shutting down', { signal, timeoutMs: config.SHUTDOWN_TIMEOUT_MS })
    startDraining()
    metricsServer?.close()
    let forced = false
    draining = true
    // net.Server's close stops accepting but, unlike http.Server's, does not cut connections that
    // were accepted and have not sent their request yet: they get their answer too. Kept-alive
    // connections close after their next response, or when idle for IDLE_GRACE_MS: those idle
    // between requests now too (their keep-alive timer was set before, for 5 s), so a request
    // already on its way is answered. (A connection yet to send its first request keeps no such
    // timer: one set now would outlive its request and cut the answer short.)
    server.keepAliveTimeout = IDLE_GRACE_MS
    for (const socket of idle()) socket.setTimeout(IDLE_GRACE_MS)
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()))
    const deadline = setTimeout(() => {
      forced = true
      log.warn('shutdown deadline reached: closing open connections')
      server.closeAllConnections()
      // Upgraded sockets (dev's HMR websocket) are not the server's to close: the runtime's are.
      void runtime.close()
      setTimeout(() => exitAfterLogs(1), 1000).unref()
    }, config.SHUTDOWN_TIMEOUT_MS)
    await closed
    clearTimeout(deadline)
    await runtime.close()
    await db.destroy()
    log.info('stopped', { forced })
    exitAfterLogs(forced ? 1 : 0)
  }
  for (const signal of STOP_SIGNALS) process.on(signal, () => void shutdown(signal))
}

/** How long a connection may stay idle once shutting down: a request already on its way still arrives. */
const IDLE_GRACE_MS = 500

/** The server's connections kept alive between requests (answered all they asked, none pending), when called. */
function idleConnections(server: Server): () => Socket[] {
  const open = new Set<Socket>()
  const unanswered = new WeakMap<Socket, number>()
  server.on('connection', (socket: Socket) => {
    open.add(socket)
    socket.once('close', () => open.delete(socket))
  })
  server.on('request', (req, res) => {
    const socket = req.socket
    unanswered.set(socket, (unanswered.get(socket) ?? 0) + 1)
    res.once('close', () => unanswered.set(socket, (unanswered.get(socket) ?? 1) - 1))
  })
  return () => [...open].filter((socket) => unanswered.get(socket) === 0)
}

/** The database in use, as a log may name it: the SQLite file, or PostgreSQL's host and database (never the password). */
function databaseShown(config: Pick<Config, 'DATABASE_URL' | 'DATABASE_PATH'>): string {
  if (!config.DATABASE_URL) return config.DATABASE_PATH === ':memory:' ? config.DATABASE_PATH : resolve(config.DATABASE_PATH)
  const url = new URL(config.DATABASE_URL)
  return `postgres://${url.host}${url.pathname}`
}
