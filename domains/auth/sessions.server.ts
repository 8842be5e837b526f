import { createHash, randomBytes } from 'node:crypto'
import { compiledQuery, writeAlone, type Db } from '#shared/db'
import { deletePasswordResetsOf } from './password-resets.server.ts'
import type { Role } from './tables.server.ts'
import { updateUser, type UserRow } from './users.server.ts'

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000
/** Sliding expiry, but at most one write a day per session rather than one per request. */
const REFRESH_AFTER_MS = 24 * 60 * 60 * 1000

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** Whether the account's password is still the one a caller checked (read under the account's lock). */
async function stillHasPassword(trx: Db, userId: number, passwordHash: string): Promise<boolean> {
  const current = await trx.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst()
  return current?.password_hash === passwordHash
}

/** One session start or credential change of an account at a time, across processes and hosts. */
export const accountAlone = (trx: Db, userId: number) => writeAlone(trx, `account:${userId}`)

/**
 * Starts a session for a user who proved their password (`password_hash`, as it was checked): a
 * 256-bit random token for the cookie; only its hash is stored. Undefined when the password
 * changed meanwhile (an admin take-over, a password change): a login in flight must not outlive
 * the sign-out that came with it, so both run under the account's lock (replaceCredentials).
 */
export async function createSession(
  db: Db,
  user: Pick<UserRow, 'id' | 'password_hash'>,
  now = Date.now(),
): Promise<{ token: string; expiresAt: number } | undefined> {
  return db.transaction().execute(async (trx) => {
    await accountAlone(trx, user.id)
    if (!(await stillHasPassword(trx, user.id, user.password_hash))) return undefined
    const token = randomBytes(32).toString('base64url')
    const expiresAt = now + SESSION_TTL_MS
    await trx
      .insertInto('sessions')
      .values({ token_hash: hashToken(token), user_id: user.id, created_at: now, expires_at: expiresAt })
      .execute()
    return { token, expiresAt }
  })
}

/**
 * Sets an account's password (and role) and ends every session of it, in one transaction under
 * the account's lock: no session made before it, or by a login that checked the old password,
 * opens the account after. With `expectedHash` (a user's own change, checked against that
 * password), only while it is still the account's: a take-over committed meanwhile wins. The user
 * as now; undefined for no such user, or a password changed since.
 */
export async function replaceCredentials(
  db: Db,
  userId: number,
  changes: { passwordHash: string; role?: Role },
  expectedHash?: string,
): Promise<UserRow | undefined> {
  return db.transaction().execute(async (trx) => {
    await accountAlone(trx, userId)
    if (expectedHash !== undefined && !(await stillHasPassword(trx, userId, expectedHash))) return undefined
    return replaceCredentialsHeld(trx, userId, changes)
  })
}

/**
 * `replaceCredentials`' change, in the caller's transaction, which holds the account's lock
 * (`accountAlone`): the password (and role) set, every session ended, and every password-reset
 * link voided (one mailed for the old password must not undo the new one).
 */
export async function replaceCredentialsHeld(trx: Db, userId: number, changes: { passwordHash: string; role?: Role }): Promise<UserRow | undefined> {
  const user = await updateUser(trx, userId, changes)
  await deleteSessionsOf(trx, userId)
  await deletePasswordResetsOf(trx, userId)
  return user
}

/** Read on every signed-in request: compiled once. */
const liveSession = compiledQuery((db, p: { tokenHash: string; now: number }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select('sessions.expires_at')
    .where('sessions.token_hash', '=', p.tokenHash)
    .where('sessions.expires_at', '>', p.now),
)

/**
 * The user of a live session, extending it when it is more than a day old. `refreshedUntil` is
 * set when the expiry moved, so the caller can renew the cookie too.
 */
export async function sessionUser(db: Db, token: string, now = Date.now()): Promise<{ user: UserRow; refreshedUntil?: number } | undefined> {
  const tokenHash = hashToken(token)
  const [row] = await liveSession(db, { tokenHash, now })
  if (!row) return undefined
  const { expires_at: expiresAt, ...user } = row
  if (expiresAt - now > SESSION_TTL_MS - REFRESH_AFTER_MS) return { user }
  const refreshedUntil = now + SESSION_TTL_MS
  await db.updateTable('sessions').set({ expires_at: refreshedUntil }).where('token_hash', '=', tokenHash).execute()
  return { user, refreshedUntil }
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute()
}

/** Ends every session of a user (after a password change, before the one that made it gets a new token). */
export async function deleteSessionsOf(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute()
}

export async function purgeExpiredSessions(db: Db, now = Date.now()): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}
