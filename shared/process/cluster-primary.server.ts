import cluster from 'node:cluster'
import type { Config } from '#shared/config'
import { runMigrations } from '#shared/db'
import { exitAfterLogs, relayWorkerLogs, type Logger } from '#shared/log'
import type { AppEntry } from './app-entry.ts'
import { CANNOT_LISTEN_EXIT } from './listen-error.ts'
import { listenForMetrics } from './metrics-listener.server.ts'
import { connectConfiguredDatabase } from './open-database.server.ts'
import { STOP_SIGNALS } from './stop-signals.ts'

/**
 * WORKERS > 1: this process migrates, then forks the workers that share the port. Worker 0 runs
 * the start-up tasks and the job worker and is up before the others start; a crashed worker is
 * replaced (with a growing delay if it keeps crashing); SIGTERM stops them all gracefully.
 */
export async function runPrimary(entry: AppEntry, config: Config, log: Logger): Promise<void> {
  const db = await connectConfiguredDatabase(config, { toServe: true })
  await runMigrations(db, entry.migrationsOf(await entry.loadDomains()), { warn: (message) => log.warn(message) })
  await db.destroy()
  const metrics = entry.answerMetricsForWorkers()
  const access = entry.metricsAccess(config)
  const metricsServer =
    access.privatePort === undefined
      ? undefined
      : await listenForMetrics(entry.metricsRoutes({ token: access.token, collect: metrics }).fetch, access.privatePort, log)
  // Workers send their log lines here, to be written one batch at a time.
  relayWorkerLogs()
  let stopping = false
  let started = false
  let crashes = 0
  const fork = (index: number) => {
    const worker = cluster.fork({ BACKGROUND_WORK: index === 0 ? 'on' : 'off' })
    worker.on('exit', (code, signal) => {
      if (stopping) return
      // It said why on stderr (a port in use; a database it cannot write, before the first one
      // listened): a replacement would fail the same way, and a supervisor should see the exit.
      if (code === CANNOT_LISTEN_EXIT || !started) {
        stopping = true
        if (!started) log.error('the first worker failed at start-up: stopping', { code, signal })
        for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM')
        return exitAfterLogs(1) // not replaced: it would fail the same way
      }
      crashes++
      const delay = Math.min(30_000, 100 * 2 ** Math.min(crashes, 9))
      log.error('worker died: replacing it', { index, code, signal, delayMs: delay })
      setTimeout(() => fork(index), delay)
      setTimeout(() => (crashes = Math.max(0, crashes - 1)), 60_000).unref()
    })
    return worker
  }
  await new Promise((resolve) => fork(0).once('listening', resolve))
  started = true
  for (let index = 1; index < config.WORKERS; index++) fork(index)
  log.info('cluster started', { workers: config.WORKERS })
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (stopping) return // a second signal (systemd's to every process, a second Ctrl-C): the stop goes on
      stopping = true
      log.info('stopping workers', { signal })
      metricsServer?.close()
      const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined)
      let failed = false
      let left = workers.length
      for (const worker of workers) {
        worker.once('exit', (code) => {
          failed ||= code !== 0
          if (--left > 0) return
          exitAfterLogs(failed ? 1 : 0)
        })
        worker.process.kill('SIGTERM')
      }
      // Within a timer's range (a SHUTDOWN_TIMEOUT_MS near its 2^31 ms maximum overflowed: 1 ms).
      setTimeout(() => exitAfterLogs(1), Math.min(config.SHUTDOWN_TIMEOUT_MS + 2000, 2 ** 31 - 1)).unref()
    })
  }
}
