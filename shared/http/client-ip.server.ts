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

/**
 * Who a per-address limit counts (sign-ups, logins): the client's address, or for IPv6 its /64.
 * An IPv6 host usually holds a whole /64 and may use a new address for each request, each of them
 * a fresh limit otherwise. An IPv4 address written as IPv6 (`::ffff:203.0.113.7`) is the IPv4 one.
 * @example clientNetwork(c) // '203.0.113.7', or '2001:db8:1:2::/64'
 */
export function clientNetwork(c: Context<AppEnv>): string {
  return networkOf(clientIp(c))
}

/** The key of `address` for per-address limits (see `clientNetwork`); anything else as it is. */
export function networkOf(address: string): string {
  const bare = address.replace(/%.*$/, '') // a zone (fe80::1%eth0)
  if (isIP(bare) !== 6) return address
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)
  if (mapped) return mapped[1]!
  return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`
}

/** The eight 16-bit groups of an IPv6 address, in hex without leading zeros (`::` expanded; a dotted IPv4 tail is two). */
function ipv6Groups(address: string): string[] {
  const parts = (text: string) => (text ? text.split(':').flatMap((part) => (part.includes('.') ? ['0', '0'] : [part])) : [])
  const [head = '', tail] = address.split('::')
  const [before, after] = [parts(head), parts(tail ?? '')]
  const groups = tail === undefined ? before : [...before, ...Array<string>(8 - before.length - after.length).fill('0'), ...after]
  return groups.map((group) => Number.parseInt(group, 16).toString(16))
}
