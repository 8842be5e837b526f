import { mkdtemp, readFile, stat } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '#shared/config'
import { createLogger } from '#shared/log'
import { createMailer, describeMailer, mailTransport } from './index.ts'
import { createOutboxMailer } from './outbox.server.ts'

const silent = createLogger({ level: 'silent' })
const mail = { to: 'ada@example.com', subject: 'Reset your password', text: 'Open this link:\nhttps://shop.example/reset-password?token=abc' }

describe('the transport in force', () => {
  it('is the outbox outside production and none in it, unless MAIL_TRANSPORT says', () => {
    expect(mailTransport(loadConfig({ NODE_ENV: 'development' }))).toBe('outbox')
    expect(mailTransport(loadConfig({ NODE_ENV: 'test' }))).toBe('outbox')
    expect(mailTransport(loadConfig({}))).toBe('none') // production
    expect(createMailer(loadConfig({}), silent)).toBeUndefined()
    expect(mailTransport(loadConfig({ MAIL_TRANSPORT: 'outbox' }))).toBe('outbox')
  })

  it('refuses SMTP without its server or sender, and settings for a transport not chosen', () => {
    expect(() => loadConfig({ MAIL_TRANSPORT: 'smtp', MAIL_FROM: 'shop@example.com' })).toThrow(/SMTP_URL: is needed with MAIL_TRANSPORT=smtp/)
    expect(() => loadConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://mail.example.com' })).toThrow(/MAIL_FROM: is needed with MAIL_TRANSPORT=smtp/)
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example.com' })).toThrow(/SMTP_URL: is for MAIL_TRANSPORT=smtp/)
    expect(() => loadConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'https://mail.example.com', MAIL_FROM: 'a@b.c' })).toThrow(/SMTP_URL: must be an smtp/)
    expect(() => loadConfig({ MAIL_OUTBOX_PATH: '/tmp/outbox.jsonl' })).toThrow(/MAIL_OUTBOX_PATH: is for MAIL_TRANSPORT=outbox/) // production: none
    expect(() => loadConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: 'shop@example.com\r\nBcc: x@y.z' })).toThrow(/MAIL_FROM/)
  })

  it('is described for the log without the SMTP password', () => {
    const config = loadConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtps://shop:hunter22secret@smtp.example.com:465', MAIL_FROM: 'Tessera <shop@example.com>' })
    expect(describeMailer(config)).toBe('smtp via smtp.example.com:465')
  })
})

describe('the outbox', () => {
  it('appends each mail as one JSON line to its file, sending nothing', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'outbox-')), 'outbox.jsonl')
    const mailer = createMailer(loadConfig({ NODE_ENV: 'test', MAIL_OUTBOX_PATH: path }), silent)!
    await mailer.send(mail)
    await mailer.send({ ...mail, to: 'grace@example.com' })
    const lines = (await readFile(path, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines).toEqual([
      { at: expect.any(String), ...mail },
      { at: expect.any(String), ...mail, to: 'grace@example.com' },
    ])
  })

  it('stays bounded: a mail that would take the file past its bound moves it to <path>.1 first, the newest mail always in the file', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'outbox-')), 'outbox.jsonl')
    const lineBytes = Buffer.byteLength(`${JSON.stringify({ at: new Date(0).toISOString(), ...mail })}\n`)
    const mailer = createOutboxMailer({ path, log: silent, now: () => 0, maxBytes: lineBytes * 3 })
    for (let i = 0; i < 10; i++) await mailer.send(mail)
    const lines = async (file: string) => (await readFile(file, 'utf8')).trim().split('\n').length
    expect(await lines(path)).toBe(1) // mails 10
    expect(await lines(`${path}.1`)).toBe(3) // mails 7 to 9; the ones before are gone
    expect((await stat(path)).size + (await stat(`${path}.1`)).size).toBeLessThanOrEqual(lineBytes * 6)
  })

  it('logs each mail when it has no file', async () => {
    const lines: string[] = []
    const mailer = createMailer(loadConfig({ NODE_ENV: 'development' }), createLogger({ level: 'info', format: 'json', write: (line) => lines.push(line) }))!
    await mailer.send(mail)
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'mail (outbox)', to: mail.to, subject: mail.subject, text: mail.text })
  })
})

/** A few lines of an SMTP server (RFC 5321's happy path), keeping what each client sends. */
function fakeSmtpServer(): Promise<{ server: Server; port: number; received: string[] }> {
  const received: string[] = []
  const server = createServer((socket) => {
    let data = false
    let body = ''
    socket.write('220 fake ESMTP\r\n')
    socket.on('data', (chunk) => {
      for (const line of chunk.toString('utf8').split('\r\n').slice(0, -1)) {
        if (data) {
          if (line === '.') {
            data = false
            received.push(body)
            socket.write('250 queued\r\n')
          } else body += `${line}\n`
        } else if (/^(EHLO|HELO)/i.test(line)) socket.write('250 fake\r\n')
        else if (/^DATA/i.test(line)) {
          data = true
          socket.write('354 go on\r\n')
        } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n')
        else socket.write('250 ok\r\n')
      }
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, received })))
}

let smtp: Server | undefined
afterEach(() => smtp?.close())

describe('SMTP', () => {
  it('sends the mail through the server, from MAIL_FROM', async () => {
    const fake = await fakeSmtpServer()
    smtp = fake.server
    const mailer = createMailer(
      loadConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: `smtp://127.0.0.1:${fake.port}`, MAIL_FROM: 'Tessera <shop@example.com>' }),
      silent,
    )!
    expect(mailer.transport).toBe('smtp')
    await mailer.send(mail)
    await mailer.close()
    expect(fake.received).toHaveLength(1)
    expect(fake.received[0]).toMatch(/^From: Tessera <shop@example.com>$/m)
    expect(fake.received[0]).toMatch(/^To: ada@example.com$/m)
    expect(fake.received[0]).toMatch(/^Subject: Reset your password$/m)
    expect(fake.received[0]).toContain('https://shop.example/reset-password?token=abc')
  })

  it('rejects when the server cannot be reached, so the job retries', async () => {
    const fake = await fakeSmtpServer()
    await new Promise((resolve) => fake.server.close(resolve)) // the port is free again: nobody answers
    const mailer = createMailer(loadConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: `smtp://127.0.0.1:${fake.port}`, MAIL_FROM: 'shop@example.com' }), silent)!
    await expect(mailer.send(mail)).rejects.toThrow()
  })
})
