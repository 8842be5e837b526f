import { HTTPException } from 'hono/http-exception'
import { HttpError } from './errors.ts'

/**
 * Stops a loader or handler and redirects. Same-site paths only: an absolute or protocol-relative
 * target (`https://…`, `//…`) would be an open redirect, so it is refused.
 * @example if (!user) redirect(`/login?next=${encodeURIComponent(path)}`)
 */
export function redirect(to: string, status: 302 | 303 | 307 = 302): never {
  if (!to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) throw new Error(`redirect() takes a same-site path, not "${to}"`)
  throw new HTTPException(status, { res: new Response(null, { status, headers: { Location: to } }) })
}

/** Stops a loader or handler with a 404: a page answers the not-found page, an API its JSON. */
export function notFound(message = 'Nothing is here.'): never {
  throw new HttpError(404, 'not_found', message)
}
