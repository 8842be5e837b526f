import type { Context } from 'hono'
import type { AppEnv } from './app-env.ts'

/**
 * The origin absolute links are built from (canonical, Open Graph, the sitemap): PUBLIC_URL, else
 * the request's own. The latter comes from the Host header, which any client chooses: whatever
 * is cached with such links is kept per origin (`serveCached`), so a forged Host reaches no one else.
 */
export function publicOrigin(c: Context<AppEnv>): string {
  return c.get('config').PUBLIC_URL ?? originOf(c.req.url) // c.get(): c.var copies every variable
}

/**
 * The origin of an absolute, normalised URL (a request's), cut rather than parsed: two
 * `new URL()` a request were ~20 µs of a product page (measured, CPU profile). Parsed only when
 * it names a user.
 */
function originOf(url: string): string {
  const pathStart = url.indexOf('/', url.indexOf('//') + 2)
  const origin = pathStart === -1 ? url : url.slice(0, pathStart)
  return origin.includes('@') ? new URL(url).origin : origin
}
