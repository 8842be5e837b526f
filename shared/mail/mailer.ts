import type { Config } from '#shared/config'

/** One plain-text mail to one address. */
export interface Mail {
  to: string
  subject: string
  text: string
}

/**
 * Where mail goes: the port the domains send through, whatever the transport behind it. `send`
 * resolves once the transport has taken the mail, and throws when it did not (a job then retries).
 * @example await mailer.send({ to: 'ada@example.com', subject: 'Hello', text: 'Hi Ada.' })
 */
export interface Mailer {
  /** Which transport: `smtp` sends, `outbox` only writes each mail down (development, tests, staging). */
  readonly transport: 'smtp' | 'outbox'
  send(mail: Mail): Promise<void>
  /** Closes pooled connections, if any. */
  close(): Promise<void>
}

export type MailTransport = 'smtp' | 'outbox' | 'none'

/**
 * The transport in force: MAIL_TRANSPORT, else the outbox outside production and none in it (a
 * production store sends no mail until told how; never into a log nobody reads).
 */
export function mailTransport(config: Pick<Config, 'NODE_ENV' | 'MAIL_TRANSPORT'>): MailTransport {
  return config.MAIL_TRANSPORT ?? (config.NODE_ENV === 'production' ? 'none' : 'outbox')
}
