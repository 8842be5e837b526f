import type { Mail } from '#shared/mail'

/** The mail with a reset link: it says how long the link works, and what to do when the reset was not asked for. */
export function resetMail({ to, name, link, validMinutes }: { to: string; name: string; link: string; validMinutes: number }): Mail {
  return {
    to,
    subject: 'Reset your Tessera password',
    text: [
      `Hello ${name},`,
      '',
      `Someone, hopefully you, asked to reset the password of your Tessera account. To choose a new one, open this link within ${validMinutes} minutes:`,
      '',
      link,
      '',
      'The link works once. If you did not ask for it, ignore this mail: your password stays as it is.',
      '',
      'Tessera',
    ].join('\n'),
  }
}
