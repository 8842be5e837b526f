import type { Context, MiddlewareHandler } from 'hono'
import { HttpError, isApiPath, redirect, type AppEnv } from '#shared/http'
import { WRONG_CREDENTIALS } from './accounts.server.ts'
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
  const session = await createSession(c.var.db, user)
  // The password changed since it was checked (a take-over, a change elsewhere): as a wrong one.
  if (!session) throw new HttpError(401, 'invalid_credentials', WRONG_CREDENTIALS)
  setSessionCookie(c, session.token, session.expiresAt)
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
 * The signed-in user, or the request ends here: 401 JSON for an API, a redirect to
 * `/login?next=…` for a page. The way to get the user in a handler, loader or action: there is
 * no guard to forget and no `!` to write.
 * @example const user = await requireUser(c) · load: async ({ c }) => ({ orders: await listOrders(db, (await requireUser(c)).id) })
 */
export function requireUser(c: Context<AppEnv>): Promise<User> {
  return signedInUser(c)
}

/** An admin, or the request ends here: as `requireUser`, and 403 for a signed-in customer. */
export function requireAdmin(c: Context<AppEnv>): Promise<User> {
  return signedInAdmin(c)
}

async function signedInUser(c: Context<AppEnv>): Promise<User> {
  return (await currentUser(c)) ?? refuseAnonymous(c)
}

async function signedInAdmin(c: Context<AppEnv>): Promise<User> {
  const user = await signedInUser(c)
  if (user.role !== 'admin') throw new HttpError(403, 'forbidden', 'Only administrators may do that.')
  return user
}

/**
 * The same as middleware, for a page or route that needs the guard but not the user (an admin
 * page whose loader reads nothing personal): `use: [signedIn()]`, `use: [adminOnly()]`.
 */
export const signedIn = (): MiddlewareHandler<AppEnv> =>
  async function signedIn(c, next) {
    await signedInUser(c)
    await next()
  }

export const adminOnly = (): MiddlewareHandler<AppEnv> =>
  async function adminOnly(c, next) {
    await signedInAdmin(c)
    await next()
  }
