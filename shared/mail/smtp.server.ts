import { createTransport } from 'nodemailer'
import type { Mail, Mailer } from './mailer.ts'

/**
 * Sends through an SMTP server with nodemailer: `smtps://` speaks TLS from the start, `smtp://`
 * upgrades with STARTTLS when the server offers it. A connection per mail (no pool to keep open
 * and close at shutdown: resets are few). A refusal (the server down, the address refused) rejects `send`: the job retries.
 * @example createSmtpMailer({ url: 'smtps://user:pass@smtp.example.com', from: 'Tessera <shop@example.com>' })
 */
export function createSmtpMailer({ url, from }: { url: string; from: string }): Mailer & { verify(): Promise<void> } {
  const transporter = createTransport({
    url,
    // A server that stops answering must not hold a job for minutes (nodemailer waits 2 and 10 by default).
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  })
  return {
    transport: 'smtp',
    async send(mail: Mail) {
      await transporter.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text })
    },
    async verify() {
      await transporter.verify()
    },
    async close() {
      transporter.close()
    },
  }
}
