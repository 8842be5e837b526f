import type { MiddlewareHandler } from 'hono'
import { createHash } from 'node:crypto'
import { NONCE, secureHeaders } from 'hono/secure-headers'
import { NOSCRIPT_STYLE } from '#shared/ui'

/** The one inline style the document carries (for visitors without JavaScript), allowed by hash. */
const noscriptStyle = `'sha256-${createHash('sha256').update(NOSCRIPT_STYLE).digest('base64')}'`

/**
 * Hono's secure headers with a Content-Security-Policy whose per-request script nonce the renderer
 * puts on every inline and module script it writes (read it as `c.get('secureHeadersNonce')`).
 * Dev relaxes styles only: Vite injects CSS as inline `<style>` tags.
 * @example app.use(securityHeaders({ dev: false }))
 */
export function securityHeaders({ dev }: { dev: boolean }): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", NONCE],
      styleSrc: dev ? ["'self'", "'unsafe-inline'"] : ["'self'", noscriptStyle],
      imgSrc: ["'self'", 'data:', 'https:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    crossOriginEmbedderPolicy: false,
  })
}
