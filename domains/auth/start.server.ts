import { sessionSecret } from '#shared/config'
import type { DomainContext } from '#shared/domain'
import { ensureAdmin } from './accounts.server.ts'
import { setUpAdminInBackground } from './admin-setup.server.ts'
import { reportMail } from './mail-status.server.ts'
import { purgeExpiredPasswordResets } from './password-resets.server.ts'
import { purgeExpiredRateLimits } from './rate-limit-store.server.ts'
import { purgeExpiredSessions } from './sessions.server.ts'

const PURGE_EVERY_MS = 60 * 60 * 1000

/**
 * At start-up: the admin from ADMIN_EMAIL/ADMIN_PASSWORD, an hourly purge of expired sessions,
 * reset links and rate-limit counters, a warning when production has no key for device cookies,
 * and where mail goes (a warning when password resets are off).
 */
export async function startAuth({ db, config, log }: DomainContext): Promise<() => void> {
  if (!sessionSecret(config)) {
    log.warn(
      'SESSION_SECRET is unset: no device cookies, so strangers failing to log in to an email (50 times) also hold its owner until the hold ends (docs/decisions/007)',
    )
  }
  reportMail(config, log)
  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
    const setup = ensureAdmin(db, config.ADMIN_EMAIL.trim().toLowerCase(), config.ADMIN_PASSWORD).then(
      ({ user, created, signedOut }) =>
        log.info(created ? 'admin created' : signedOut ? 'admin updated, its sessions signed out' : 'admin unchanged', { email: user.email }),
      (err) => log.error('admin set-up failed', { err }),
    )
    setUpAdminInBackground(db, setup)
  }
  const purge = async () => {
    const purged = await purgeExpiredSessions(db)
    if (purged) log.info('expired sessions purged', { count: purged })
    const resets = await purgeExpiredPasswordResets(db)
    if (resets) log.info('expired password-reset links purged', { count: resets })
    const counters = await purgeExpiredRateLimits(db)
    if (counters) log.info('expired rate-limit counters purged', { count: counters })
  }
  await purge()
  const timer = setInterval(() => void purge().catch((err) => log.error('session purge failed', { err })), PURGE_EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}
