import type { Config } from '#shared/config'
import type { Logger } from '#shared/log'
import { mailTransport, type Mailer } from './mailer.ts'
import { createOutboxMailer } from './outbox.server.ts'
import { createSmtpMailer } from './smtp.server.ts'

/**
 * The mailer the configuration asks for (`mailTransport`), or undefined when mail is off
 * (`none`): the caller then offers nothing that needs mail, and says so.
 * @example const mailer = createMailer(config, log)
 */
export function createMailer(
  config: Pick<Config, 'NODE_ENV' | 'MAIL_TRANSPORT' | 'SMTP_URL' | 'MAIL_FROM' | 'MAIL_OUTBOX_PATH'>,
  log: Logger,
): Mailer | undefined {
  const transport = mailTransport(config)
  if (transport === 'none') return undefined
  if (transport === 'outbox') return createOutboxMailer({ path: config.MAIL_OUTBOX_PATH, log })
  // The config schema refuses smtp without both.
  return createSmtpMailer({ url: config.SMTP_URL!, from: config.MAIL_FROM! })
}

/** Where mail goes, for the start-up log: never the SMTP URL itself (it may carry a password). */
export function describeMailer(config: Pick<Config, 'NODE_ENV' | 'MAIL_TRANSPORT' | 'SMTP_URL' | 'MAIL_OUTBOX_PATH'>): string {
  const transport = mailTransport(config)
  if (transport === 'smtp') return `smtp via ${new URL(config.SMTP_URL!).host}`
  if (transport === 'outbox') return `outbox (${config.MAIL_OUTBOX_PATH ?? 'the log'}; never sent)`
  return 'none'
}
