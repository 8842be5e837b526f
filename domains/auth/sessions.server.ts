import { createHash, randomBytes } from 'node:crypto'
import { compiledQuery, type Db } from '#shared/db'
import type { UserRow } from './users.server.ts'

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000
/** Sliding expiry, but at most one write a day per session rather than one per request. */
const REFRESH_AFTER_MS = 24 * 60 * 60 * 1000

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** Starts a session: a 256-bit random token for the cookie; only its hash is stored. */
export async function createSession(db: Db, userId: number, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(32).toString('base64url')
  const expiresAt = now + SESSION_TTL_MS
  await db
    .insertInto('sessions')
    .values({ token_hash: hashToken(token), user_id: userId, created_at: now, expires_at: expiresAt })
    .execute()
  return { token, expiresAt }
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
