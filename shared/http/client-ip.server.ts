import { isIP } from 'node:net'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import type { AppEnv } from './app-env.ts'

/**
 * The client's address: the socket's peer, or, when TRUST_PROXY says N proxies of ours stand in
 * front, the Nth X-Forwarded-For entry from the end. Each proxy appends the address it was
 * reached from (nginx's `$proxy_add_x_forwarded_for`), so the entries before those are whatever
 * the client sent: the first one would let anyone pick an address for each request, and with it a
 * fresh login and sign-up limit. `unknown` in in-process requests.
 */
export function clientIp(c: Context<AppEnv>): string {
  const proxies = c.var.config.TRUST_PROXY
  if (proxies > 0) {
    const forwarded = c.req.header('X-Forwarded-For')
    const client = forwarded && forwardedClient(forwarded, proxies)
    // Not an address (an empty entry, a miscounted TRUST_PROXY): never a key the client wrote.
    if (client && isIP(client)) return client
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/**
 * The entry `proxies` from the end of an X-Forwarded-For list (a proxy that replaces the header
 * leaves one: that one); the first when the list is shorter.
 * @example forwardedClient('6.6.6.6, 203.0.113.7', 1) // '203.0.113.7'
 */
export function forwardedClient(forwarded: string, proxies: number): string {
  const entries = forwarded.split(',')
  return entries[Math.max(0, entries.length - proxies)]!.trim()
}
