import { createServer } from 'node:net'
import type { Config } from '#shared/config'
import { listenError } from './listen-error.ts'

/**
 * Binds the ports this start will listen on, and lets them go at once, before the database is
 * touched: a port in use (another copy still running) or a HOST not of this machine is then one
 * line and exit 1 with the database as it was, not after migrating it and seeding a new store.
 * (Another process may still take a port in the moment between: listen() then says so as before.)
 * Throws listenError's ConfigError. With PORT 0 (any free port) it checks HOST.
 */
export async function checkPortsFree(config: Pick<Config, 'PORT' | 'HOST' | 'METRICS' | 'METRICS_PORT'>): Promise<void> {
  await bindAndRelease(config.PORT, config.HOST, 'PORT')
  if (config.METRICS && config.METRICS_PORT) await bindAndRelease(config.METRICS_PORT, '127.0.0.1', 'METRICS_PORT')
}

function bindAndRelease(port: number, host: string, variable: 'PORT' | 'METRICS_PORT'): Promise<void> {
  const probe = createServer()
  return new Promise((resolve, reject) => {
    probe.once('error', (err) => reject(listenError(err, variable, host, port)))
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()))
  })
}
