/**
 * The process, in order: read the config, open the database, run pending migrations, serve HTTP,
 * shut down gracefully (each step in shared/process). Dev (`node --import tsx server.ts`): Vite in
 * middleware mode, server code reloaded through `ssrLoadModule` on every change. Production
 * (`node dist/server.js`, this file built by `vite build --ssr`): the bundled app and
 * `dist/client`. The single executable (`dist/tessera`, .ci/sea.mjs) is the same code as one
 * CommonJS script, the client build inside it.
 */
import cluster from 'node:cluster'
import { createServer } from 'node:http'
import { ConfigError } from '#shared/config'
import { isDomainMistake } from '#shared/domain'
import { createLogger, exitAfterLogs } from '#shared/log'
import {
  checkPortsFree,
  connectConfiguredDatabase,
  devRuntime,
  httpServerOptions,
  listenForMetrics,
  printHelp,
  productionRuntime,
  readConfig,
  runCommand,
  runPrimary,
  serve,
  type AppEntry,
  type EntryLoader,
} from '#shared/process'

/** True in `dist/server.js`: `vite build --ssr` defines the flag; under tsx it does not exist. */
const built = typeof __TESSERA_SERVER_BUNDLE__ !== 'undefined'

async function main(): Promise<void> {
  // A cluster worker always serves (in the single executable, fork() passes it its own path).
  const [first, ...args] = cluster.isWorker ? [] : process.argv.slice(2)
  if (first === '--help' || first === '-h') return printHelp(loadEntry)
  if (first?.startsWith('-')) {
    process.stderr.write(`Unknown option "${first}". Run with --help to list the commands and settings.\n`)
    process.exitCode = 2
    return
  }
  if (first) return runCommand(first, args, { config: readConfig({ built }), loadEntry })
  const config = readConfig({ built })
  const log = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT ?? (config.NODE_ENV === 'development' ? 'pretty' : 'json') })
  // A port in use is said before the database is touched (a new store made, migrated, seeded).
  // A cluster's workers listen through their primary, which checked.
  if (!cluster.isWorker) await checkPortsFree(config)
  // A bug must not take every visitor down with it: log it and keep serving.
  process.on('unhandledRejection', (err) => log.error('unhandled rejection', { err }))
  if (built && config.WORKERS > 1 && cluster.isPrimary) return runPrimary((await loadEntry()).entry, config, log)
  const db = await connectConfiguredDatabase(config, { toServe: true })
  const server = createServer(httpServerOptions(config))
  const runtime = built
    ? await productionRuntime((await loadEntry()).entry, db, config, log, () => new URL('./client/', import.meta.url))
    : await devRuntime(server, db, config, log)
  // A cluster's workers leave METRICS_PORT to the primary, which serves the sum over them all.
  const metricsServer =
    runtime.metrics && config.METRICS && config.METRICS_PORT !== undefined && !cluster.isWorker
      ? await listenForMetrics(runtime.metrics, config.METRICS_PORT, log)
      : undefined
  serve(server, { runtime, metricsServer, db, config, log })
}

/** The app's code: bundled when built, through Vite (no HMR, no listening) in dev. */
const loadEntry: EntryLoader = async () => {
  if (built) return { entry: (await import('./entry-server.tsx')) satisfies AppEntry, close: async () => {} }
  const { createServer: createViteServer } = await import('vite')
  // `ws: false`: no WebSocket server at all. `hmr: false` alone still opened one on port 24678 in
  // middleware mode, so a second command at once (or a dev server of another project) printed
  // "WebSocket server error: Port 24678 is already in use".
  const vite = await createViteServer({ server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'warn' })
  return { entry: (await vite.ssrLoadModule('/entry-server.tsx')) as AppEntry, close: () => vite.close() }
}

// Not a top-level await: the single executable's bundle is CommonJS. A failed start still exits 1.
main().catch((err) => {
  // A setting to change (a port in use) or a domain's mistake (a slot no domain offers) is its
  // message, naming what to change; anything else, its stack.
  if (err instanceof ConfigError || isDomainMistake(err)) process.stderr.write(`${err.message}\n`)
  else console.error(err)
  exitAfterLogs(1)
})
