import type { Context, MiddlewareHandler } from 'hono'
import { HttpError, isApiPath, redirect, type AppEnv } from '#shared/http'
import { setDeviceCookie } from './device-cookie.server.ts'
import { loginPath } from './next-path.ts'
import type { User } from './schemas.ts'
import { clearSessionCookie, readSessionToken, setSessionCookie } from './session-cookie.server.ts'
import { createSession, deleteSession, sessionUser } from './sessions.server.ts'
import { toUser, type UserRow } from './users.server.ts'

declare module 'hono' {
  interface ContextVariableMap {
    /** The request's user, once `currentUser(c)` has looked (null: nobody signed in). */
    authUser: User | null
  }
}

/**
 * The signed-in user of this request, or null. Looked up once per request; an unknown, expired
 * or tampered session cookie counts as nobody (and is cleared).
 * @example const user = await currentUser(c)
 */
export async function currentUser(c: Context<AppEnv>): Promise<User | null> {
  const known = c.get('authUser')
  if (known !== undefined) return known
  const token = readSessionToken(c)
  const session = token ? await sessionUser(c.var.db, token) : undefined
  if (token && !session) clearSessionCookie(c)
  if (token && session?.refreshedUntil) setSessionCookie(c, token, session.refreshedUntil)
  const user = session ? toUser(session.user) : null
  c.set('authUser', user)
  return user
}

/**
 * Signs a user in with a fresh session (never a client-chosen one: no fixation), after they proved
 * their password: this browser gets a new device cookie too.
 */
export async function signIn(c: Context<AppEnv>, user: UserRow): Promise<User> {
  const old = readSessionToken(c)
  if (old) await deleteSession(c.var.db, old)
  const { token, expiresAt } = await createSession(c.var.db, user.id)
  setSessionCookie(c, token, expiresAt)
  setDeviceCookie(c, user)
  const publicUser = toUser(user)
  c.set('authUser', publicUser)
  return publicUser
}

export async function signOut(c: Context<AppEnv>): Promise<void> {
  const token = readSessionToken(c)
  if (token) await deleteSession(c.var.db, token)
  clearSessionCookie(c)
  c.set('authUser', null)
}

/** APIs answer 401; pages send the visitor to log in and come back. */
function refuseAnonymous(c: Context<AppEnv>): never {
  if (isApiPath(c.req.path)) throw new HttpError(401, 'unauthorized', 'Sign in to continue.')
  const url = new URL(c.req.url)
  redirect(loginPath(url.pathname + url.search, url.pathname))
}

/**
 * Lets only signed-in users through: 401 JSON for APIs, a redirect to `/login?next=…` for pages.
 * @example api.get('/orders', requireUser(), handler) · definePage({ ..., use: [requireUser()] })
 */
export function requireUser(): MiddlewareHandler<AppEnv> {
  return async function requireUser(c, next) {
    if (!(await currentUser(c))) refuseAnonymous(c)
    await next()
  }
}

/** Lets only admins through: as `requireUser`, and 403 for a signed-in customer. */
export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async function requireAdmin(c, next) {
    const user = await currentUser(c)
    if (!user) refuseAnonymous(c)
    if (user.role !== 'admin') throw new HttpError(403, 'forbidden', 'Only administrators may do that.')
    await next()
  }
}
