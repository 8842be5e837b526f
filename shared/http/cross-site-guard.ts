import type { MiddlewareHandler } from 'hono'
import { csrf } from 'hono/csrf'
import { HttpError } from './errors.ts'

export interface CrossSiteGuardOptions {
  /** The origin browsers use (`PUBLIC_URL` behind a TLS proxy); default: the request URL's. */
  origin?: string
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * CSRF protection for every state-changing request, whatever its content type. Hono's `csrf()`
 * guards the content types a plain HTML form can send (a form needs `Origin` or
 * `Sec-Fetch-Site: same-origin`); it lets any JSON through, trusting CORS preflights. This also
 * refuses a request a browser marks as cross-site, or whose `Origin` is foreign or `null` (a
 * sandboxed frame, a redirect chain), so no route depends on CORS being configured right.
 * Requests with neither header (curl, a mobile app) are not from a browser and pass when JSON.
 * @example app.use(crossSiteGuard({ origin: config.PUBLIC_URL }))
 */
export function crossSiteGuard(options: CrossSiteGuardOptions = {}): MiddlewareHandler {
  const forms = csrf(options.origin ? { origin: options.origin } : {})
  return async function crossSiteGuard(c, next) {
    if (safeMethods.has(c.req.method)) return next()
    const site = c.req.header('Sec-Fetch-Site')
    const origin = c.req.header('Origin')
    const allowed = options.origin ?? new URL(c.req.url).origin
    if (site === 'cross-site' || site === 'same-site' || (origin !== undefined && origin !== allowed)) throw crossSite()
    // Hono's check alone, so its refusal answers with our code (and the handler's errors stay theirs).
    await forms(c, passed).catch(() => {
      throw crossSite()
    })
    return next()
  }
}

const passed = async () => {}
const crossSite = () => new HttpError(403, 'cross_site_request', 'Requests from other sites are refused.')
