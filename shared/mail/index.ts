export { mailTransport, type Mail, type Mailer, type MailTransport } from './mailer.ts'
export { createMailer, describeMailer } from './create-mailer.server.ts'
export { createOutboxMailer } from './outbox.server.ts'
export { createSmtpMailer } from './smtp.server.ts'
