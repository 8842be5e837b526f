import type { Context } from 'hono'
import type { Config } from '#shared/config'
import type { Db } from '#shared/db'
import { clientNetwork, HttpError, type AppEnv } from '#shared/http'
import { enqueueJob } from '#shared/jobs'
import { mailTransport, type Mailer } from '#shared/mail'
import { signIn } from './guard.server.ts'
import { loginLimits } from './login-limits.server.ts'
import { hashPassword } from './passwords.server.ts'
import { consumeResetToken, insertResetToken, liveResetUser, RESET_TOKEN_TTL_MS } from './password-resets.server.ts'
import { limitResetConfirm, limitResetRequest } from './rate-limits.server.ts'
import { resetMail } from './reset-mail.ts'
import type { User } from './schemas.ts'
import { accountAlone, replaceCredentialsHeld } from './sessions.server.ts'
import { findUserByEmail, userById } from './users.server.ts'
import './job-types.ts'

/** What every request for a reset is answered, whether the address has an account or not. */
export const RESET_REQUESTED = `If an account has this address, a link to reset its password is on its way. It works for ${RESET_TOKEN_TTL_MS / 60_000} minutes.`
export const INVALID_RESET_LINK = 'This reset link does not work any more: it was used already, a newer one was sent, or it expired. Ask for a new one.'
/** A request the queue could not mail within this is dropped: a link arriving hours later would only puzzle. */
const STALE_AFTER_MS = 60 * 60 * 1000

/**
 * Whether the store can mail reset links: a mail transport, and in production PUBLIC_URL (the
 * link's origin is never taken from the request's Host, which the requester chooses: a link to
 * their own site with a victim's token).
 */
export function passwordResetsAvailable(config: Pick<Config, 'NODE_ENV' | 'MAIL_TRANSPORT' | 'PUBLIC_URL'>): boolean {
  return mailTransport(config) !== 'none' && (config.PUBLIC_URL !== undefined || config.NODE_ENV !== 'production')
}

const unavailable = () =>
  new HttpError(503, 'password_resets_unavailable', 'Password resets are not available on this store. Contact us to regain your account.')

/**
 * Asks for a reset link to be mailed to `email`, under the limits per client address and per
 * address asked for. The same work whatever the address (one job queued; the job looks the
 * account up), so neither the answer nor its time says whether it has an account.
 */
export async function requestPasswordReset(c: Context<AppEnv>, email: string): Promise<void> {
  if (!passwordResetsAvailable(c.var.config)) throw unavailable()
  await limitResetRequest(c.var.db, { address: clientNetwork(c), email })
  await enqueueJob(c.var.db, 'send-password-reset', { email, requestedAt: Date.now() }, { maxAttempts: 10 }) // retried over ~8 minutes (1 s, 2 s, 4 s…): an SMTP server's restart
}

/**
 * The job: mints the token and mails its link, to the account of `email` (none: nothing). The
 * raw token exists only in the mail: the job's payload holds the address, the database the hash.
 * A failed send throws, and the retry mints a new token (voiding this one, never mailed).
 */
export async function sendPasswordReset(
  { db, mailer, config }: { db: Db; mailer: Mailer; config: Pick<Config, 'PUBLIC_URL' | 'PORT'> },
  { email, requestedAt }: { email: string; requestedAt: number },
  now = Date.now(),
): Promise<'sent' | 'no-account' | 'stale'> {
  if (now - requestedAt > STALE_AFTER_MS) return 'stale'
  const user = await findUserByEmail(db, email)
  if (!user) return 'no-account'
  const { token } = await db.transaction().execute(async (trx) => {
    await accountAlone(trx, user.id)
    return insertResetToken(trx, user.id, now)
  })
  const link = `${resetLinkOrigin(config)}/reset-password?token=${token}`
  await mailer.send(resetMail({ to: user.email, name: user.name, link, validMinutes: RESET_TOKEN_TTL_MS / 60_000 }))
  return 'sent'
}

/** PUBLIC_URL; outside production (passwordResetsAvailable) this host's own port when unset. */
function resetLinkOrigin(config: Pick<Config, 'PUBLIC_URL' | 'PORT'>): string {
  return config.PUBLIC_URL ?? `http://localhost:${config.PORT}`
}

/** The account a live link resets (the page names it and shows its form), or undefined (it says why not). */
export async function resetLinkAccount(db: Db, token: string): Promise<User | undefined> {
  const userId = await liveResetUser(db, token)
  return userId === undefined ? undefined : userById(db, userId)
}

/**
 * Sets a new password with a live token, in one transaction under the account's lock: the token
 * used up, the password set, every session and every other reset link of the account ended. Then
 * the login failures that held the email are forgiven (the mailbox proved it the owner's), and
 * this browser is signed in (docs/decisions/020-password-reset-by-mail.md). A used, voided, expired or unknown token
 * answers 400 `invalid_reset_token`.
 */
export async function resetPassword(c: Context<AppEnv>, { token, password }: { token: string; password: string }): Promise<User> {
  const { db } = c.var
  await limitResetConfirm(db, clientNetwork(c))
  const userId = await liveResetUser(db, token)
  if (userId === undefined) throw invalidLink()
  const passwordHash = await hashPassword(password)
  const user = await db.transaction().execute(async (trx) => {
    await accountAlone(trx, userId)
    // Read again under the lock: another tab may have used it, or a newer link voided it, meanwhile.
    if (!(await consumeResetToken(trx, token, userId))) return undefined
    return replaceCredentialsHeld(trx, userId, { passwordHash })
  })
  if (!user) throw invalidLink()
  await loginLimits(db).ownerProven(user.email)
  return signIn(c, user)
}

const invalidLink = () => new HttpError(400, 'invalid_reset_token', INVALID_RESET_LINK)
