import type { Config } from '#shared/config'
import type { Logger } from '#shared/log'
import { createSmtpMailer, describeMailer, mailTransport } from '#shared/mail'
import { passwordResetsAvailable } from './password-reset.server.ts'

/**
 * Says at start-up where mail goes, and warns when password resets are off (their page says so to
 * shoppers): no mail transport in production, or no PUBLIC_URL to build links from. An SMTP
 * server is asked to greet us once, in the background: a wrong host or password shows in the log
 * now rather than at the first shopper's reset.
 */
export function reportMail(config: Config, log: Logger): void {
  if (!passwordResetsAvailable(config)) {
    const why = mailTransport(config) === 'none' ? 'MAIL_TRANSPORT is none (unset in production)' : 'PUBLIC_URL is unset (the links would have no address)'
    log.warn(`password resets are off: ${why}; "Forgot your password?" says resets are not available. Configure SMTP (docs/deploy.md)`)
    return
  }
  log.info('mail', { transport: describeMailer(config) })
  if (mailTransport(config) !== 'smtp') return
  const smtp = createSmtpMailer({ url: config.SMTP_URL!, from: config.MAIL_FROM! })
  void smtp
    .verify()
    .catch((err: unknown) => log.warn('mail: the SMTP server did not accept us; reset mails will be retried', { err: String((err as Error)?.message ?? err) }))
    .finally(() => smtp.close())
}
