import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import type { AppEnv } from './app-env.ts'

/**
 * The client's address: the socket's peer, or the first X-Forwarded-For entry when TRUST_PROXY
 * says a proxy of ours sets it (anyone else could forge it). `unknown` in in-process requests.
 */
export function clientIp(c: Context<AppEnv>): string {
  if (c.var.config.TRUST_PROXY) {
    const forwarded = c.req.header('X-Forwarded-For')?.split(',')[0]?.trim()
    if (forwarded) return forwarded
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
