import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '#shared/db'

/** How long a reset link works: long enough to find the mail, short enough that an old inbox opens nothing. */
export const RESET_TOKEN_TTL_MS = 30 * 60 * 1000

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/**
 * A new reset token for the user, 32 random bytes (base64url, 43 characters), in the caller's
 * transaction: only its hash is stored, and every earlier token of the user is voided (the newest
 * mail is the one that works).
 */
export async function insertResetToken(trx: Db, userId: number, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(32).toString('base64url')
  const expiresAt = now + RESET_TOKEN_TTL_MS
  await deletePasswordResetsOf(trx, userId)
  await trx
    .insertInto('password_resets')
    .values({ token_hash: hashToken(token), user_id: userId, created_at: now, expires_at: expiresAt })
    .execute()
  return { token, expiresAt }
}

/** The user a live (unused, unexpired) token resets, if any. */
export async function liveResetUser(db: Db, token: string, now = Date.now()): Promise<number | undefined> {
  const row = await db
    .selectFrom('password_resets')
    .select('user_id')
    .where('token_hash', '=', hashToken(token))
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return row?.user_id
}

/** Uses a live token up, in the caller's transaction: true when it was live (then it is gone, so it works once). */
export async function consumeResetToken(trx: Db, token: string, userId: number, now = Date.now()): Promise<boolean> {
  const deleted = await trx
    .deleteFrom('password_resets')
    .where('token_hash', '=', hashToken(token))
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return Number(deleted.numDeletedRows) === 1
}

/** Voids every reset token of a user (a password change, a newer token). */
export async function deletePasswordResetsOf(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('password_resets').where('user_id', '=', userId).execute()
}

export async function purgeExpiredPasswordResets(db: Db, now = Date.now()): Promise<number> {
  const result = await db.deleteFrom('password_resets').where('expires_at', '<=', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}
