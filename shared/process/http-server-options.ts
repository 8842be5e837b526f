import type { ServerOptions } from 'node:http'
import type { Config } from '#shared/config'

/**
 * How long a client may take: its headers, its whole request, an idle kept-alive connection.
 * Node's defaults (60 s for headers, 300 s a request) let a slowloris-style client, trickling a
 * header every few seconds, hold a connection for a minute; and Node checks these deadlines only
 * every 30 s by default, so one is checked here every quarter of the headers' (at most 5 s).
 * @example createServer(httpServerOptions(config))
 */
export function httpServerOptions(config: Pick<Config, 'HEADERS_TIMEOUT_MS' | 'REQUEST_TIMEOUT_MS' | 'KEEP_ALIVE_TIMEOUT_MS'>): ServerOptions {
  return {
    headersTimeout: config.HEADERS_TIMEOUT_MS,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: Math.min(5000, Math.floor(config.HEADERS_TIMEOUT_MS / 4)),
  }
}
