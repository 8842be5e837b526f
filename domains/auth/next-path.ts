/**
 * Where to go after signing in: a same-site path from `?next=`, or home. An absolute URL, a
 * protocol-relative `//host` or a backslash trick would be an open redirect, so they are ignored.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/'
  return next
}
