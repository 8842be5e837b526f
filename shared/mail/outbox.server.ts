import { appendFile } from 'node:fs/promises'
import type { Logger } from '#shared/log'
import type { Mail, Mailer } from './mailer.ts'

/**
 * A mailer that never sends: each mail becomes one JSON line (`{ at, to, subject, text }`),
 * appended to `path`, or logged (`mail (outbox)`) when there is none. For development, tests and
 * a staging copy, whose shoppers' addresses must receive nothing.
 * @example createOutboxMailer({ path: 'data/outbox.jsonl', log })
 */
export function createOutboxMailer({ path, log, now = Date.now }: { path?: string; log: Logger; now?: () => number }): Mailer {
  return {
    transport: 'outbox',
    async send(mail: Mail) {
      const entry = { at: new Date(now()).toISOString(), to: mail.to, subject: mail.subject, text: mail.text }
      if (path) await appendFile(path, `${JSON.stringify(entry)}\n`)
      else log.info('mail (outbox)', entry)
    },
    async close() {},
  }
}
