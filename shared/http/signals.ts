import { HTTPException } from 'hono/http-exception'
import { HttpError } from './errors.ts'

/**
 * Stops a loader or handler and redirects. Same-site paths only: an absolute or protocol-relative
 * target (`https://…`, `//…`) would be an open redirect, so it is refused.
 * @example if (!user) redirect(`/login?next=${encodeURIComponent(path)}`)
 */
export function redirect(to: string, status: 302 | 303 | 307 = 302): never {
  if (!isSameSitePath(to)) throw new HttpError(400, 'bad_redirect', 'That address leads off this site.')
  throw new HTTPException(status, { res: new Response(null, { status, headers: { Location: to } }) })
}

/**
 * True for a path on this site. Browsers drop tabs and newlines from URLs and read `\` as `/`,
 * so `/\t/evil.example` would become `//evil.example`: such characters are refused outright.
 */
export function isSameSitePath(to: string): boolean {
  if (!to.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(to)) return false
  return new URL(to, 'http://same.invalid').origin === 'http://same.invalid'
}

/** Stops a loader or handler with a 404: a page answers the not-found page, an API its JSON. */
export function notFound(message = 'Nothing is here.'): never {
  throw new HttpError(404, 'not_found', message)
}
