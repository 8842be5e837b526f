import { z } from 'zod'
import type { DomainContext } from '#shared/domain'
import type { JobHandlers } from '#shared/jobs'
import { createMailer, type Mailer } from '#shared/mail'
import { sendPasswordReset } from './password-reset.server.ts'
import './job-types.ts'

const resetPayload = z.object({ email: z.string(), requestedAt: z.number() })

/**
 * The auth domain's background work: reset mails, through the configured mailer (a test passes
 * its own). A repeat after a crash mints a new link, voiding the one before.
 */
export function authJobs({ db, config, log }: DomainContext, mailer: Mailer | undefined = createMailer(config, log)) {
  return {
    async 'send-password-reset'(payload: unknown) {
      // Queued while mail was on, run after a restart without it: said, not retried for nothing.
      if (!mailer) return log.warn('password reset not mailed: MAIL_TRANSPORT is none')
      const outcome = await sendPasswordReset({ db, mailer, config }, resetPayload.parse(payload))
      if (outcome === 'stale') log.warn('password reset not mailed: asked for over an hour ago')
    },
  } satisfies JobHandlers
}
