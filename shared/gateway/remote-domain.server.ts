import { Hono } from 'hono'
import { defineDomain, type Domain } from '#shared/domain'
import type { AppEnv } from '#shared/http'
import { upstreamProxy, type UpstreamOptions } from './upstream-proxy.server.ts'

export interface RemoteDomainDefinition extends Pick<UpstreamOptions, 'timeoutMs' | 'secret' | 'breaker'> {
  /** kebab-case; `/api/<name>/*` goes to the upstream. */
  name: string
  /** The service's base URL, typically from the environment: `/api/<name>/x?y` goes to `<upstream>/x?y`. */
  upstream: string | undefined
}

/**
 * A domain served by another service (the API gateway pattern): its `index.ts` holds only this,
 * and `/api/<name>/*` is proxied to `upstream` (see `upstreamProxy` for what is forwarded, how
 * failures answer, and the signed identity headers `secret` adds). A missing or malformed URL
 * stops the start with one line naming the domain.
 * @example export default defineRemoteDomain({ name: 'reviews', upstream: process.env.REVIEWS_URL, secret: process.env.REVIEWS_SECRET })
 */
export function defineRemoteDomain({ name, upstream, ...options }: RemoteDomainDefinition): Domain {
  if (!upstream || !URL.canParse(upstream) || !/^https?:$/.test(new URL(upstream).protocol)) {
    throw new Error(`Remote domain "${name}": upstream must be an http(s) URL, got ${JSON.stringify(upstream ?? null)}.`)
  }
  if (options.secret !== undefined && options.secret.length < 32) throw new Error(`Remote domain "${name}": the secret must be 32 characters or more.`)
  const forward = upstreamProxy({ name, upstream, ...options })
  const prefix = `/api/${name}`
  const api = new Hono<AppEnv>().all('*', (c) => forward(c, c.req.path.slice(prefix.length) || '/'))
  return defineDomain({ name, api })
}
