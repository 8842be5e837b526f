import { z } from 'zod'
import type { DomainContext } from '#shared/domain'
import { forgetJobPayload, type JobHandlers } from '#shared/jobs'
import { createMailer, type Mailer } from '#shared/mail'
import { sendPasswordReset } from './password-reset.server.ts'
import './job-types.ts'

const resetPayload = z.object({ email: z.string(), requestedAt: z.number() })
/** A payload already forgotten: the job ran (a repeat after its process died before it was marked done). */
const forgotten = z.object({}).strict()

/**
 * The auth domain's background work: reset mails, through the configured mailer (a test passes
 * its own). A repeat after a crash mints a new link, voiding the one before. Once run, the job
 * forgets the address it was asked for (the queue keeps done jobs; an address typed by anyone,
 * with an account or not, is nothing the store needs). A job that failed every attempt keeps
 * it, for an operator to see which.
 */
export function authJobs({ db, config, log }: DomainContext, mailer: Mailer | undefined = createMailer(config, log)) {
  return {
    async 'send-password-reset'(payload: unknown, job) {
      if (forgotten.safeParse(payload).success) return
      // Queued while mail was on, run after a restart without it: said, not retried for nothing.
      if (!mailer) log.warn('password reset not mailed: MAIL_TRANSPORT is none')
      else {
        const outcome = await sendPasswordReset({ db, mailer, config }, resetPayload.parse(payload))
        if (outcome === 'stale') log.warn('password reset not mailed: asked for over an hour ago')
      }
      await forgetJobPayload(db, job.id)
    },
  } satisfies JobHandlers
}
