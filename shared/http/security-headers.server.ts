import type { Context, MiddlewareHandler } from 'hono'
import { createHash, randomFillSync } from 'node:crypto'
import { NOSCRIPT_STYLE } from '#shared/ui'
import { setFixedHeaders } from './node-http.server.ts'

/** The one inline style the document carries (for visitors without JavaScript), allowed by hash. */
const noscriptStyle = `'sha256-${createHash('sha256').update(NOSCRIPT_STYLE).digest('base64')}'`

/**
 * Hono's secureHeaders() defaults (helmet's), written out once instead of built per request, but
 * for two. X-Frame-Options: DENY, to say what the CSP's `frame-ancestors 'none'` says (no page of
 * the store is ever framed, not even by the store) to browsers that read only the older header.
 * Referrer-Policy: same-origin, not no-referrer: under no-referrer a browser sends `Origin: null`
 * with a form posted without JavaScript, which the CSRF guard must refuse; other sites still get
 * no referrer.
 */
/** The security headers every answer carries, whatever it is (the CSP aside: it depends on the answer). */
export const FIXED_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'same-origin'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'DENY'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
]

/**
 * Security headers and a Content-Security-Policy on every response. Scripts run only from this
 * origin, or inline with this response's nonce (a page that writes scripts asks for one with
 * `cspNonce(c)`; only then is one made) or with a hash it allows (`allowScriptHashes()`: a
 * cached page, whose bytes are the same for everyone). Styles: this origin's files, and inline
 * the noscript style and `styleSources` (the pages' inline stylesheets, `'sha256-…'`, the same
 * for every response). Dev relaxes styles only: Vite injects CSS as inline `<style>` tags (and a
 * hash in the list would make browsers ignore `'unsafe-inline'`).
 * @example app.use(securityHeaders({ dev: false, styleSources: assetsFor.styleSources })); const nonce = cspNonce(c)
 */
export function securityHeaders({ dev, styleSources = '', noindex = false }: { dev: boolean; styleSources?: string; noindex?: boolean }): MiddlewareHandler {
  // A staging copy (CRAWLERS=deny): robots.txt keeps crawlers out, but a page linked from
  // elsewhere could still be indexed without being crawled; this says no on every answer.
  const fixed: ReadonlyArray<readonly [string, string]> = noindex ? [...FIXED_HEADERS, ['X-Robots-Tag', 'noindex, nofollow']] : FIXED_HEADERS
  const directives = [
    "default-src 'self'",
    "script-src 'self'\0",
    `style-src 'self' ${dev ? "'unsafe-inline'" : `${noscriptStyle}${styleSources ? ` ${styleSources}` : ''}`}`,
    "img-src 'self' data: https:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ]
  // Cut where each response adds its own script sources (a nonce, hashes).
  const [beforeScripts, afterScripts] = directives.join('; ').split('\0') as [string, string]
  return async function securityHeaders(c, next) {
    await next()
    const nonce = c.get('cspNonce')
    const hashes = c.get('cspScriptHashes')
    setFixedHeaders(c, fixed)
    setFixedHeaders(c, [['Content-Security-Policy', `${beforeScripts}${nonce ? ` 'nonce-${nonce}'` : ''}${hashes ? ` ${hashes}` : ''}${afterScripts}`]])
  }
}

/**
 * Lets this response run the inline scripts with these CSP sources (`'sha256-…'`, from
 * `scriptHashSources()`).
 */
export function allowScriptHashes(c: Context, sources: string): void {
  if (sources) c.set('cspScriptHashes', sources)
}

/** The CSP sources allowing exactly these inline scripts: `'sha256-…' 'sha256-…'`. */
export function scriptHashSources(scripts: string[]): string {
  return scripts.map((script) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`).join(' ')
}

/** The response's CSP nonce, made on first use: put it on every script the page writes. */
export function cspNonce(c: Context): string {
  let nonce = c.get('cspNonce')
  if (!nonce) c.set('cspNonce', (nonce = randomNonce()))
  return nonce
}

/**
 * 128 random bits in base64. Drawn from a pool filled 4 KiB at a time: one call into the CSPRNG
 * per 256 nonces instead of one each. Every byte is used once.
 */
const pool = Buffer.alloc(4096)
let poolOffset = pool.length
function randomNonce(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool)
    poolOffset = 0
  }
  poolOffset += 16
  return pool.toString('base64', poolOffset - 16, poolOffset)
}
