import { isRedirectablePath } from '#shared/http'

/**
 * Where to go after signing in: a same-site path from `?next=`, or home. An absolute URL, a
 * protocol-relative `//host` or a control-character trick would be an open redirect, and a path
 * too long for a `Location` header would fail: both ignored.
 */
export function safeNext(next: string | null | undefined): string {
  return next && isRedirectablePath(next) ? next : '/'
}

/**
 * The log-in page, coming back to `path` (with its query) after signing in; to `path` alone, or
 * home, when the whole would be too long to redirect to.
 * @example redirect(loginPath(url.pathname + url.search, url.pathname))
 */
export function loginPath(pathAndQuery: string, path: string): string {
  for (const next of [pathAndQuery, path]) {
    const login = `/login?next=${encodeURIComponent(next)}`
    if (isRedirectablePath(login)) return login
  }
  return '/login'
}
