import { isSameSitePath } from '#shared/http'

/**
 * Where to go after signing in: a same-site path from `?next=`, or home. An absolute URL, a
 * protocol-relative `//host` or a control-character trick would be an open redirect: ignored.
 */
export function safeNext(next: string | null | undefined): string {
  return next && isSameSitePath(next) ? next : '/'
}
