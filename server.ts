/**
 * The process: reads the config, opens the database, runs pending migrations, serves HTTP and
 * shuts down gracefully. Dev (`node --import tsx server.ts`): Vite in middleware mode, server
 * code reloaded through `ssrLoadModule` on every change. Production (`node dist/server.js`, this
 * file built by `vite build --ssr`): the bundled app and `dist/client`. The single executable
 * (`dist/tessera`, .ci/sea.mjs) is the same code as one CommonJS script, the client build inside it.
 */
import { existsSync, readFileSync } from 'node:fs'
import cluster from 'node:cluster'
import { Server as NetServer } from 'node:net'
import { basename } from 'node:path'
import { getAsset, isSea } from 'node:sea'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { fileURLToPath } from 'node:url'
import { getRequestListener } from '@hono/node-server'
import { ConfigError, configHelp, loadConfig, type Config } from '#shared/config'
import { openDatabase, runMigrations, type Db } from '#shared/db'
import { createLogger, flushLogs, type Logger } from '#shared/log'

type Listener = (req: IncomingMessage, res: ServerResponse) => void
type Fetch = (request: Request) => Response | Promise<Response>

/** Set on SIGTERM: responses then close their connection. */
let draining = false
interface Runtime {
  listener: Listener
  close(): Promise<void>
  /** `/metrics` for its own listener (METRICS_PORT). */
  metrics?: Fetch
}

/** True in `dist/server.js`: `vite build --ssr` defines the flag; under tsx it does not exist. */
const built = typeof __TESSERA_SERVER_BUNDLE__ !== 'undefined'

async function main(): Promise<void> {
  // A cluster worker always serves (in the single executable, fork() passes it its own path).
  const [first, ...args] = cluster.isWorker ? [] : process.argv.slice(2)
  if (first === '--help' || first === '-h') return printHelp()
  if (first && !first.startsWith('-')) return runCommand(first, args)
  const config = readConfig()
  const log = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT ?? (config.NODE_ENV === 'development' ? 'pretty' : 'json') })
  // A bug must not take every visitor down with it: log it and keep serving.
  process.on('unhandledRejection', (err) => log.error('unhandled rejection', { err }))
  if (built && config.WORKERS > 1 && cluster.isPrimary) return runPrimary(config, log)
  const db = openDatabase(config.DATABASE_PATH)
  const server = createServer()
  const runtime = built ? await productionRuntime(db, config, log) : await devRuntime(server, db, config, log)
  // A cluster's workers leave METRICS_PORT to the primary, which serves the sum over them all.
  const metricsServer = runtime.metrics && config.METRICS && config.METRICS_PORT !== undefined && !cluster.isWorker ? await listenForMetrics(runtime.metrics, config.METRICS_PORT, log) : undefined
  server.on('request', (req, res) => {
    // Shutting down: answer, then close the connection instead of keeping it alive.
    if (draining) res.setHeader('Connection', 'close')
    runtime.listener(req, res)
  })
  server.listen(config.PORT, config.HOST, () => {
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : config.PORT
    log.info('listening', { url: `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`, mode: config.NODE_ENV })
  })
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void shutdown(signal, { server, metricsServer, runtime, db, config, log }))
  }
}

type Entry = typeof import('./entry-server.tsx')

/**
 * WORKERS > 1: this process migrates, then forks the workers that share the port. Worker 0 runs
 * the start-up tasks and the job worker and is up before the others start; a crashed worker is
 * replaced (with a growing delay if it keeps crashing); SIGTERM stops them all gracefully.
 */
async function runPrimary(config: Config, log: Logger): Promise<void> {
  const db = openDatabase(config.DATABASE_PATH)
  const { entry } = await loadEntry()
  await runMigrations(db, entry.migrationsOf(await entry.loadDomains()))
  await db.destroy()
  const metrics = entry.answerMetricsForWorkers()
  const access = entry.metricsAccess(config)
  const metricsServer = access.privatePort === undefined ? undefined : await listenForMetrics(entry.metricsRoutes({ token: access.token, collect: metrics }).fetch, access.privatePort, log)
  let stopping = false
  let crashes = 0
  const fork = (index: number) => {
    const worker = cluster.fork({ BACKGROUND_WORK: index === 0 ? 'on' : 'off' })
    worker.on('exit', (code, signal) => {
      if (stopping) return
      crashes++
      const delay = Math.min(30_000, 100 * 2 ** Math.min(crashes, 9))
      log.error('worker died: replacing it', { index, code, signal, delayMs: delay })
      setTimeout(() => fork(index), delay)
      setTimeout(() => (crashes = Math.max(0, crashes - 1)), 60_000).unref()
    })
    return worker
  }
  await new Promise((resolve) => fork(0).once('listening', resolve))
  for (let index = 1; index < config.WORKERS; index++) fork(index)
  log.info('cluster started', { workers: config.WORKERS })
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stopping = true
      log.info('stopping workers', { signal })
      metricsServer?.close()
      const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined)
      let failed = false
      let left = workers.length
      for (const worker of workers) {
        worker.once('exit', (code) => {
          failed ||= code !== 0
          if (--left === 0) (flushLogs(), process.exit(failed ? 1 : 0))
        })
        worker.process.kill('SIGTERM')
      }
      setTimeout(() => (flushLogs(), process.exit(1)), config.SHUTDOWN_TIMEOUT_MS + 2000).unref()
    })
  }
}

/** The app's code: bundled when built, through Vite (no HMR, no listening) in dev. */
async function loadEntry(): Promise<{ entry: Entry; close(): Promise<void> }> {
  if (built) return { entry: await import('./entry-server.tsx'), close: async () => {} }
  const { createServer: createViteServer } = await import('vite')
  const vite = await createViteServer({ server: { middlewareMode: true, hmr: false }, appType: 'custom', logLevel: 'warn' })
  return { entry: (await vite.ssrLoadModule('/entry-server.tsx')) as Entry, close: () => vite.close() }
}

/** An operator's command of a domain, e.g. `node dist/server.js create-admin you@example.com`. */
async function runCommand(name: string, args: string[]): Promise<void> {
  const config = readConfig()
  const log = createLogger({ level: 'warn', format: 'pretty', write: (line) => process.stderr.write(line) })
  const { entry, close } = await loadEntry()
  let db: Db | undefined
  try {
    const domains = await entry.loadDomains()
    const command = entry.commandsOf(domains)[name]
    if (!command) throw new Error(`Unknown command "${name}". Run with --help to list the commands.`)
    command.check?.(args) // before the database is opened: bad arguments write nothing, not even a file
    db = openDatabase(config.DATABASE_PATH)
    if (command.migrate !== false) await runMigrations(db, entry.migrationsOf(domains))
    await command.run(args, { db, config, log, stdin: process.stdin })
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
    // A UsageError (bad arguments) carries 2; any other failure is 1.
    process.exitCode = err instanceof Error && 'exitCode' in err && typeof err.exitCode === 'number' ? err.exitCode : 1
  } finally {
    await db?.destroy()
    await close()
  }
}

async function printHelp(): Promise<void> {
  const { entry, close } = await loadEntry()
  const commands = Object.entries(entry.commandsOf(await entry.loadDomains()))
  await close()
  const usage = commands.map(([name, command]) => `  ${name} ${command.usage}`).join('\n')
  const self = isSea() ? basename(process.execPath) : 'node dist/server.js'
  process.stdout.write(`Usage: ${self} [command]  (no command: serve)\n\nCommands:\n${usage || '  (none)'}\n\n${configHelp()}`)
}

function readConfig(): Config {
  // Variables already set win over the file (Node's loadEnvFile never overrides them).
  if (existsSync('.env')) process.loadEnvFile('.env')
  try {
    // Dev listens on this machine only: Vite serves the project's files, data/ included.
    const devDefaults = built ? {} : { HOST: '127.0.0.1' }
    return loadConfig({ NODE_ENV: built ? 'production' : 'development', ...devDefaults, ...process.env })
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`${err.message}\nRun with --help to list every setting.\n`)
    process.exit(1)
  }
}

async function productionRuntime(db: Db, config: Config, log: Logger): Promise<Runtime> {
  const entry = await import('./entry-server.tsx')
  const client = clientBuild()
  const domains = await entry.loadDomains()
  // In a cluster the primary has migrated before forking: exactly one process does.
  if (!cluster.isWorker) await runMigrations(db, entry.migrationsOf(domains))
  const assetsFor = entry.manifestAssets(client.manifest)
  const { app, close, privateMetrics } = await entry.createApp({ domains, db, config, log, assetsFor, serveAssets: entry.staticAssets(client.files), background: config.BACKGROUND_WORK })
  return { listener: getRequestListener(app.fetch), close: async () => close(), metrics: privateMetrics?.fetch }
}

/** METRICS_PORT: `/metrics` on a listener of its own, bound to 127.0.0.1, so only this host reaches it. */
function listenForMetrics(fetch: Fetch, port: number, log: Logger): Promise<Server> {
  const server = createServer(getRequestListener(fetch))
  return new Promise((resolve, reject) => {
    server.once('error', reject) // e.g. the port is taken: the process stops with that error
    server.listen(port, '127.0.0.1', () => {
      const address = server.address()
      log.info('metrics listening', { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/metrics` })
      resolve(server)
    })
  })
}

/** The client build: `dist/client` beside this bundle, or the single executable's assets `client/…`. */
function clientBuild(): { manifest: Parameters<Entry['manifestAssets']>[0]; files: Parameters<Entry['staticAssets']>[0] } {
  if (isSea()) {
    const files = (path: string) => {
      try {
        return getAsset(`client${path}`)
      } catch {
        return undefined // no such asset
      }
    }
    return { manifest: JSON.parse(getAsset('client/.vite/manifest.json', 'utf8')), files }
  }
  const clientDir = fileURLToPath(new URL('./client/', import.meta.url))
  return { manifest: JSON.parse(readFileSync(`${clientDir}.vite/manifest.json`, 'utf8')), files: clientDir }
}

async function devRuntime(server: Server, db: Db, config: Config, log: Logger): Promise<Runtime> {
  const { createServer: createViteServer } = await import('vite')
  const vite = await createViteServer({ server: { middlewareMode: true, hmr: { server } }, appType: 'custom' })
  let current: { entry: Entry; fetch: (request: Request, env: unknown) => Response | Promise<Response>; close(): void; metrics?: Fetch } | undefined

  // ssrLoadModule returns the same module until a file it imports changes: then rebuild the app.
  // `env` carries Node's request and response, as in production (see shared/http/node-http.server.ts).
  async function appFetch(request: Request, env: unknown): Promise<Response> {
    try {
      const entry = (await vite.ssrLoadModule('/entry-server.tsx')) as Entry
      if (current?.entry !== entry) {
        const domains = await entry.loadDomains()
        await runMigrations(db, entry.migrationsOf(domains))
        const assetsFor = entry.devAssets('/@tessera/dev-entry.js', ['/shared/ui/styles.css'])
        const { app, close, privateMetrics } = await entry.createApp({ domains, db, config, log, assetsFor })
        current?.close()
        current = { entry, fetch: app.fetch, close, metrics: privateMetrics?.fetch }
      }
      return await current.fetch(request, env)
    } catch (err) {
      if (err instanceof Error) vite.ssrFixStacktrace(err)
      log.error('dev server error', { err })
      return new Response(`<pre>${escapeHtml(err instanceof Error ? (err.stack ?? err.message) : String(err))}</pre>`, { status: 500, headers: { 'Content-Type': 'text/html; charset=utf-8' } })
    }
  }
  const honoListener = getRequestListener(appFetch)
  return {
    listener: (req, res) => vite.middlewares(req, res, () => honoListener(req, res)),
    // The app (and its metrics) is built on the first request to the store.
    metrics: (request) => current?.metrics?.(request) ?? new Response('Not started: request a page first.\n', { status: 503 }),
    close: async () => {
      current?.close()
      await vite.close()
    },
  }
}

/**
 * Stop accepting, let requests in flight finish within SHUTDOWN_TIMEOUT_MS, close the database,
 * exit 0. Past the deadline: drop the remaining connections and exit 1 (a shutdown that had to
 * cut requests short is not a clean one).
 */
async function shutdown(signal: string, { server, metricsServer, runtime, db, config, log }: { server: Server; metricsServer?: Server; runtime: Runtime; db: Db; config: Config; log: Logger }) {
  log.info('shutting down', { signal, timeoutMs: config.SHUTDOWN_TIMEOUT_MS })
  metricsServer?.close()
  let forced = false
  draining = true
  // net.Server's close stops accepting but, unlike http.Server's, does not cut connections that
  // were accepted and have not sent their request yet: they get their answer too. Kept-alive
  // connections close after their next response, or when idle past the keep-alive timeout.
  server.keepAliveTimeout = 500
  const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()))
  const deadline = setTimeout(() => {
    forced = true
    log.warn('shutdown deadline reached: closing open connections')
    server.closeAllConnections()
    // Upgraded sockets (dev's HMR websocket) are not the server's to close: the runtime's are.
    void runtime.close()
    setTimeout(() => (flushLogs(), process.exit(1)), 1000).unref()
  }, config.SHUTDOWN_TIMEOUT_MS)
  await closed
  clearTimeout(deadline)
  await runtime.close()
  await db.destroy()
  log.info('stopped', { forced })
  flushLogs()
  process.exit(forced ? 1 : 0)
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`)

// Not a top-level await: the single executable's bundle is CommonJS. A failed start still exits 1.
main().catch((err) => {
  flushLogs()
  console.error(err)
  process.exit(1)
})
