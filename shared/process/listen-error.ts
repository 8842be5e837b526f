import { isIPv6 } from 'node:net'
import { ConfigError } from '#shared/config'

/** A cluster worker that cannot listen exits so (sysexits' EX_CONFIG): its primary then stops, exit 1, rather than replace it forever. */
export const CANNOT_LISTEN_EXIT = 78

/**
 * A failed listen() as the setting to change, in one line (server.ts prints a ConfigError's
 * message, not a stack): a port in use, a port that needs privileges, a HOST that is not an
 * address of this machine.
 * @example listenError(err, 'PORT', '0.0.0.0', 3000).message // 'PORT: 0.0.0.0:3000 is in use (another process listens there)'
 */
export function listenError(err: NodeJS.ErrnoException, portVariable: 'PORT' | 'METRICS_PORT', host: string, port: number): ConfigError {
  const where = isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}` // ::1:3000 reads as neither
  switch (err.code) {
    case 'EADDRINUSE':
      return new ConfigError(`${portVariable}: ${where} is in use (another process listens there)`)
    case 'EACCES':
      return new ConfigError(`${portVariable}: no permission to listen on ${where} (ports below 1024 need privileges)`)
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EADDRNOTAVAIL':
      return new ConfigError(`HOST: cannot listen on "${host}": not an address of this machine (${err.code})`)
    default:
      return new ConfigError(`${portVariable}: cannot listen on ${where}: ${err.message}`)
  }
}
