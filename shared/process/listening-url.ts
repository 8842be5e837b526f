import { isIPv6 } from 'node:net'

/**
 * The address the `listening` line gives, to paste into a browser or curl: `localhost` for every
 * interface (0.0.0.0, ::), an IPv6 address in brackets (`http://[::1]:3000`; bare, its colons ran
 * into the port's).
 * @example listeningUrl('::1', 3000) // 'http://[::1]:3000'
 */
export function listeningUrl(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '::') return `http://localhost:${port}`
  return `http://${isIPv6(host) ? `[${host}]` : host}:${port}`
}
