import type { Context, ErrorHandler } from 'hono'
import type { HTTPException } from 'hono/http-exception'
import { describeError, isApiPath, locationOf, redirectTarget, type AppEnv } from '#shared/http'
import type { Renderer } from './render-page.server.tsx'

/**
 * The app's `onError`: a thrown `redirect()` is followed, an HttpError answers its status, anything
 * else is a logged 500. API paths answer JSON (`{ error }`), pages the error page.
 */
export function answerErrors(renderer: Renderer, { dev }: { dev: boolean }): ErrorHandler<AppEnv> {
  return (err, c) => {
    const target = redirectTarget(err)
    if (target) return followRedirect(c, err as HTTPException, target)
    const { status, body, headers } = describeError(err)
    for (const [name, value] of Object.entries(headers ?? {})) c.header(name, value)
    if (status >= 500) c.get('log').error('request failed', { err, path: c.req.path })
    if (isApiPath(c.req.path)) return c.json(body, status)
    if (status === 404) return renderer.renderErrorPage(c, 404, 'Page not found', body.error.message)
    if (status < 500) return renderer.renderErrorPage(c, status, 'That did not work', body.error.message)
    // In development, what went wrong (a loader's error, its data refused): else only the terminal said.
    const shown = dev && err instanceof Error ? `${err.message} (shown in development only; the log has its stack)` : undefined
    return renderer.renderErrorPage(c, status, 'Something went wrong', shown ?? 'We could not show this page. Please try again in a moment.')
  }
}

/** redirect(), keeping cookies set before it, and how long it may be kept (a moved page's). */
function followRedirect(c: Context<AppEnv>, thrown: HTTPException, target: string) {
  const response = thrown.getResponse()
  for (const name of ['Cache-Control', 'Vary']) {
    const value = response.headers.get(name)
    if (value) c.header(name, value)
  }
  return c.redirect(locationOf(target), thrown.status as 302)
}
