/**
 * The process around the app: configuration, the HTTP server and its graceful shutdown, the
 * production and dev runtimes, the cluster's primary, operators' commands. server.ts puts them
 * in order; the app itself (entry-server.tsx) is handed in as an `AppEntry`, never imported.
 */
export type { App, AppDeps, AppEntry, EntryLoader } from './app-entry.ts'
export type { Runtime } from './runtime.ts'
export { readConfig } from './read-config.server.ts'
export { connectConfiguredDatabase, openConfiguredDatabase } from './open-database.server.ts'
export { serve } from './http-server.server.ts'
export { httpServerOptions } from './http-server-options.ts'
export { checkPortsFree } from './check-ports.server.ts'
export { productionRuntime } from './production-runtime.server.ts'
export { devRuntime } from './dev-runtime.server.ts'
export { listenForMetrics } from './metrics-listener.server.ts'
export { runPrimary } from './cluster-primary.server.ts'
export { runCommand, printHelp } from './commands.server.ts'
