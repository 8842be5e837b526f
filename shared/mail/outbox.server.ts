import { appendFile, rename, stat } from 'node:fs/promises'
import type { Logger } from '#shared/log'
import type { Mail, Mailer } from './mailer.ts'

/** Past this, the outbox file is moved aside (`<path>.1`, replacing the one before) and begun again. */
export const OUTBOX_MAX_BYTES = 10 * 1024 * 1024

/**
 * A mailer that never sends: each mail becomes one JSON line (`{ at, to, subject, text }`),
 * appended to `path`, or logged (`mail (outbox)`) when there is none. For development, tests and
 * a staging copy, whose shoppers' addresses must receive nothing. The file is bounded: a line that
 * would take it past `maxBytes` first moves it to `<path>.1`, so the two hold at most about twice
 * that, the newest mail always in `path` (a staging store runs for months; its mails, reset links
 * among them, need not pile up). Two processes moving it at the same moment may lose the older file.
 * @example createOutboxMailer({ path: 'data/outbox.jsonl', log })
 */
export function createOutboxMailer({
  path,
  log,
  now = Date.now,
  maxBytes = OUTBOX_MAX_BYTES,
}: {
  path?: string
  log: Logger
  now?: () => number
  maxBytes?: number
}): Mailer {
  return {
    transport: 'outbox',
    async send(mail: Mail) {
      const entry = { at: new Date(now()).toISOString(), to: mail.to, subject: mail.subject, text: mail.text }
      if (!path) return log.info('mail (outbox)', entry)
      const line = `${JSON.stringify(entry)}\n`
      const size = await sizeOf(path)
      if (size > 0 && size + Buffer.byteLength(line) > maxBytes) await rename(path, `${path}.1`)
      await appendFile(path, line)
    },
    async close() {},
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw err
  }
}
