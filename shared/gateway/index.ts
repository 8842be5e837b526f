/**
 * Other services behind the store (the API gateway pattern): a remote domain proxies
 * `/api/<name>/*` to its upstream, and server code calls it with `remoteFetch`; upstreams verify who a request is from with `verifyIdentity`.
 */
export { defineRemoteDomain, remoteFetch, type RemoteDomainDefinition } from './remote-domain.server.ts'
export { upstreamProxy } from './upstream-proxy.server.ts'
export { UpstreamError } from './upstream-error.ts'
export type { UpstreamOptions } from './upstream-options.ts'
export { NEXTJS_REQUEST_HEADERS } from './nextjs-request-headers.ts'
export { verifyIdentity, identityHeaders, IDENTITY_HEADERS, type Identity } from './signed-identity.ts'
export { CircuitBreaker, type BreakerOptions } from './circuit-breaker.ts'
export { foreignCookies } from './foreign-cookies.ts'
