import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '#shared/config'
import { createLogger } from '#shared/log'
import type { Mail, Mailer } from '#shared/mail'
import { createTestApp } from '../../tests/support/test-app.ts'
import { authJobs } from './jobs.server.ts'
import { RESET_REQUESTED, sendPasswordReset } from './password-reset.server.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>
const logLines: string[] = []
let ip = 0
/** Each test speaks from its own address, so the per-address limits do not leak between tests. */
const newClient = () => `10.1.${Math.floor(++ip / 250)}.${ip % 250}`
let emails = 0
const newEmail = () => `reset${++emails}@example.com`
const SCRYPT_HEAVY = 30_000

beforeAll(async () => {
  // The worker's timed polls never come: each test delivers the queued mails itself (deliverMails).
  testApp = await createTestApp({ TRUST_PROXY: 'true', JOBS_POLL_MS: '2147483647' }, { logTo: (line) => logLines.push(line) })
})
afterAll(() => testApp.close())

function call(
  path: string,
  { body, cookie, from = newClient(), headers = {} }: { body?: unknown; cookie?: string; from?: string; headers?: Record<string, string> } = {},
) {
  const all: Record<string, string> = { 'X-Forwarded-For': from, Origin: 'http://localhost', ...headers }
  if (body !== undefined) all['Content-Type'] = 'application/json'
  if (cookie) all.Cookie = cookie
  return testApp.app.request(`http://localhost${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: all,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

/** A form post without JavaScript, as a browser sends it. */
function postForm(path: string, fields: Record<string, string>, { cookie, origin = 'http://localhost' }: { cookie?: string; origin?: string } = {}) {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin, 'X-Forwarded-For': newClient() }
  if (cookie) headers.Cookie = cookie
  return testApp.app.request(`http://localhost${path}`, { method: 'POST', headers, body: new URLSearchParams(fields).toString() })
}

function sessionCookie(res: Response): string {
  const header = res.headers.getSetCookie().find((cookie) => cookie.startsWith('tessera_session='))
  expect(header).toBeDefined()
  return header!.split(';')[0]!
}

async function registered(password = 'the old password') {
  const email = newEmail()
  const res = await call('/api/auth/register', { body: { email, name: 'Ada', password } })
  expect(res.status).toBe(201)
  return { email, password, cookie: sessionCookie(res) }
}

/** Runs the queued reset jobs as the worker would, with a mailer that keeps what it is given. */
async function deliverMails(): Promise<Mail[]> {
  const sent: Mail[] = []
  const mailer: Mailer = { transport: 'outbox', send: async (mail) => void sent.push(mail), close: async () => {} }
  const jobs = authJobs({ db: testApp.db, config: loadConfig({ NODE_ENV: 'test' }), log: createLogger({ level: 'silent' }) }, mailer)
  const queued = await testApp.db
    .selectFrom('tessera_jobs')
    .selectAll()
    .where('type', '=', 'send-password-reset')
    .where('status', '=', 'pending')
    .orderBy('id')
    .execute()
  for (const job of queued) {
    await jobs['send-password-reset'](JSON.parse(job.payload), { id: job.id, attempt: 1 })
    await testApp.db.updateTable('tessera_jobs').set({ status: 'done' }).where('id', '=', job.id).execute()
  }
  return sent
}

const tokenOf = (mail: Mail) => /\/reset-password\?token=([A-Za-z0-9_-]{43})\n/.exec(mail.text)![1]!
const jobCount = async () => (await testApp.db.selectFrom('tessera_jobs').select('id').where('type', '=', 'send-password-reset').execute()).length

async function resetLinkFor(email: string): Promise<string> {
  expect((await call('/api/auth/password-reset', { body: { email } })).status).toBe(202)
  const mails = await deliverMails()
  expect(mails.map((mail) => mail.to)).toEqual([email])
  return tokenOf(mails[0]!)
}

describe('POST /api/auth/password-reset', () => {
  it('answers the same, after the same work (one job queued), whether the address has an account or not; only an account gets mail', async () => {
    const { email } = await registered()
    const before = await jobCount()
    const known = await call('/api/auth/password-reset', { body: { email } })
    const unknown = await call('/api/auth/password-reset', { body: { email: 'nobody-here@example.com' } })
    expect([known.status, unknown.status]).toEqual([202, 202])
    expect(await known.json()).toEqual({ message: RESET_REQUESTED })
    expect(await unknown.json()).toEqual({ message: RESET_REQUESTED })
    expect(await jobCount()).toBe(before + 2)
    const mails = await deliverMails()
    expect(mails.map((mail) => mail.to)).toEqual([email])
    expect(mails[0]!.subject).toBe('Reset your Tessera password')
    expect(mails[0]!.text).toContain('within 30 minutes')
    expect(mails[0]!.text).toMatch(/^http:\/\/localhost:3000\/reset-password\?token=[A-Za-z0-9_-]{43}$/m)
  })

  it('stores only the hash of the token: not in the table, not in the job', async () => {
    const { email } = await registered()
    const token = await resetLinkFor(email)
    const rows = await testApp.db.selectFrom('password_resets').selectAll().execute()
    expect(rows.map((row) => row.token_hash)).toContain(createHash('sha256').update(token).digest('hex'))
    expect(JSON.stringify(rows)).not.toContain(token)
    expect(JSON.stringify(await testApp.db.selectFrom('tessera_jobs').selectAll().execute())).not.toContain(token)
  })

  it('limits requests per address asked for (3 an hour) and per client address (10 an hour), whether accounts or not', async () => {
    const email = 'flooded@example.com' // no account: limited alike
    const perEmail = []
    for (let i = 0; i < 4; i++) perEmail.push((await call('/api/auth/password-reset', { body: { email } })).status)
    expect(perEmail).toEqual([202, 202, 202, 429])
    const from = newClient()
    const perClient = []
    for (let i = 0; i < 11; i++) perClient.push((await call('/api/auth/password-reset', { body: { email: newEmail() }, from })).status)
    expect(perClient).toEqual([...Array(10).fill(202), 429])
    const refused = await call('/api/auth/password-reset', { body: { email: newEmail() }, from })
    expect(refused.headers.get('Retry-After')).toMatch(/^\d+$/)
    expect((await refused.json()).error.code).toBe('too_many_requests')
    await deliverMails()
  })

  it('refuses a request from another site (CSRF), API and form alike', async () => {
    const { email } = await registered()
    const before = await jobCount()
    expect((await call('/api/auth/password-reset', { body: { email }, headers: { 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403)
    expect((await postForm('/forgot-password', { email }, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await postForm('/reset-password?token=x', { token: 'x'.repeat(43), password: 'a new password' }, { origin: 'https://evil.example' })).status).toBe(
      403,
    )
    expect(await jobCount()).toBe(before)
  })
})

describe('the mail job', () => {
  it('throws when the mail is not taken (the queue retries), and the retry mints a new link that voids the unsent one', async () => {
    const { email } = await registered()
    const config = { PUBLIC_URL: 'https://shop.example', PORT: 3000 }
    const down: Mailer = { transport: 'smtp', send: async () => Promise.reject(new Error('connection refused')), close: async () => {} }
    await expect(sendPasswordReset({ db: testApp.db, mailer: down, config }, { email, requestedAt: Date.now() })).rejects.toThrow('connection refused')
    const userId = (await testApp.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id
    const unsent = await testApp.db.selectFrom('password_resets').select('token_hash').where('user_id', '=', userId).execute()
    expect(unsent).toHaveLength(1)
    const sent: Mail[] = []
    const up: Mailer = { transport: 'smtp', send: async (mail) => void sent.push(mail), close: async () => {} }
    expect(await sendPasswordReset({ db: testApp.db, mailer: up, config }, { email, requestedAt: Date.now() })).toBe('sent')
    expect(sent[0]!.text).toMatch(/^https:\/\/shop\.example\/reset-password\?token=/m) // PUBLIC_URL, never a request's Host
    const live = await testApp.db.selectFrom('password_resets').select('token_hash').where('user_id', '=', userId).execute()
    expect(live).toHaveLength(1)
    expect(live[0]!.token_hash).not.toBe(unsent[0]!.token_hash)
  })

  it('forgets the address it was asked for once it has run, with an account or without; a repeat of it does nothing', async () => {
    const { email } = await registered()
    const stranger = 'typed-by-someone@example.com'
    for (const asked of [email, stranger]) expect((await call('/api/auth/password-reset', { body: { email: asked } })).status).toBe(202)
    const ids = (
      await testApp.db.selectFrom('tessera_jobs').select('id').where('status', '=', 'pending').where('type', '=', 'send-password-reset').execute()
    ).map((row) => row.id)
    expect(await deliverMails()).toHaveLength(1)
    const rows = await testApp.db.selectFrom('tessera_jobs').select(['payload']).where('id', 'in', ids).execute()
    expect(rows.map((row) => row.payload)).toEqual(['{}', '{}'])
    // Run again (its process died before it was marked done): nothing mailed, nothing thrown.
    const sent: Mail[] = []
    const mailer: Mailer = { transport: 'outbox', send: async (mail) => void sent.push(mail), close: async () => {} }
    await authJobs({ db: testApp.db, config: loadConfig({ NODE_ENV: 'test' }), log: createLogger({ level: 'silent' }) }, mailer)['send-password-reset'](
      {},
      { id: ids[0]!, attempt: 2 },
    )
    expect(sent).toEqual([])
  })

  it('mails nothing for a request over an hour old (a queue held up), nor for an address without an account', async () => {
    const { email } = await registered()
    const sent: Mail[] = []
    const mailer: Mailer = { transport: 'smtp', send: async (mail) => void sent.push(mail), close: async () => {} }
    const config = { PUBLIC_URL: undefined, PORT: 3000 }
    expect(await sendPasswordReset({ db: testApp.db, mailer, config }, { email, requestedAt: Date.now() - 61 * 60_000 })).toBe('stale')
    expect(await sendPasswordReset({ db: testApp.db, mailer, config }, { email: 'nobody-at-all@example.com', requestedAt: Date.now() })).toBe('no-account')
    expect(sent).toEqual([])
  })
})

describe('POST /api/auth/password-reset/confirm', () => {
  it(
    'sets the new password, ends every session of the account and signs this client in',
    async () => {
      const account = await registered()
      const token = await resetLinkFor(account.email)
      const res = await call('/api/auth/password-reset/confirm', { body: { token, password: 'a brand new password' } })
      expect(res.status).toBe(200)
      expect((await res.json()).user.email).toBe(account.email)
      expect((await call('/api/auth/me', { cookie: sessionCookie(res) })).status).toBe(200)
      expect((await call('/api/auth/me', { cookie: account.cookie })).status).toBe(401) // the session from before
      expect((await call('/api/auth/login', { body: { email: account.email, password: account.password } })).status).toBe(401)
      expect((await call('/api/auth/login', { body: { email: account.email, password: 'a brand new password' } })).status).toBe(200)
    },
    SCRYPT_HEAVY,
  )

  it(
    'takes a token once',
    async () => {
      const { email } = await registered()
      const token = await resetLinkFor(email)
      expect((await call('/api/auth/password-reset/confirm', { body: { token, password: 'a brand new password' } })).status).toBe(200)
      const again = await call('/api/auth/password-reset/confirm', { body: { token, password: 'another new password' } })
      expect(again.status).toBe(400)
      expect((await again.json()).error).toMatchObject({ code: 'invalid_reset_token', message: expect.stringContaining('Ask for a new one') })
      expect((await call('/api/auth/login', { body: { email, password: 'a brand new password' } })).status).toBe(200)
    },
    SCRYPT_HEAVY,
  )

  it('refuses an expired token (its stored expiry passed), an unknown one, and a malformed one', async () => {
    const { email } = await registered()
    const token = await resetLinkFor(email)
    await testApp.db
      .updateTable('password_resets')
      .set({ expires_at: Date.now() - 1 })
      .execute()
    const expired = await call('/api/auth/password-reset/confirm', { body: { token, password: 'a brand new password' } })
    expect(expired.status).toBe(400)
    expect((await expired.json()).error.code).toBe('invalid_reset_token')
    const unknown = await call('/api/auth/password-reset/confirm', { body: { token: 'A'.repeat(43), password: 'a brand new password' } })
    expect((await unknown.json()).error.code).toBe('invalid_reset_token')
    const malformed = await call('/api/auth/password-reset/confirm', { body: { token: 'short', password: 'a brand new password' } })
    expect(malformed.status).toBe(400)
    expect((await malformed.json()).error.issues[0].path).toEqual(['token'])
    expect((await call(`/reset-password?token=${token}`)).status).toBe(200)
    expect(await (await call(`/reset-password?token=${token}`)).text()).toContain('does not work any more')
  })

  it(
    'voids a token when a newer one is mailed, and when the password changes',
    async () => {
      const account = await registered()
      const first = await resetLinkFor(account.email)
      const second = await resetLinkFor(account.email)
      expect((await call('/api/auth/password-reset/confirm', { body: { token: first, password: 'a brand new password' } })).status).toBe(400)
      // A change of password on the account page voids the newer one too.
      const changed = await postForm(
        '/account',
        { intent: 'password', currentPassword: account.password, newPassword: 'changed while signed in' },
        { cookie: account.cookie },
      )
      expect(changed.status).toBe(303)
      expect((await call('/api/auth/password-reset/confirm', { body: { token: second, password: 'a brand new password' } })).status).toBe(400)
    },
    SCRYPT_HEAVY,
  )

  it(
    'frees the account from the login failures that led to the reset, wherever they came from; the per-address minute stays',
    async () => {
      const { email } = await registered()
      const home = newClient()
      for (let i = 0; i < 5; i++) expect((await call('/api/auth/login', { body: { email, password: 'which one was it' }, from: home })).status).toBe(401)
      const minutePassed = () => testApp.db.deleteFrom('auth_rate_limits').where('key', '=', `login-address ${home}`).execute()
      await minutePassed()
      expect((await call('/api/auth/login', { body: { email, password: 'still not it' }, from: home })).status).toBe(429) // held 15 minutes
      const token = await resetLinkFor(email)
      // The link opened on a phone, elsewhere; then back to the computer at home, which has no device cookie.
      expect((await call('/api/auth/password-reset/confirm', { body: { token, password: 'a brand new password' } })).status).toBe(200)
      await minutePassed()
      expect((await call('/api/auth/login', { body: { email, password: 'a brand new password' }, from: home })).status).toBe(200)
    },
    SCRYPT_HEAVY,
  )

  it('checks the new password as registration does', async () => {
    const { email } = await registered()
    const token = await resetLinkFor(email)
    const res = await call('/api/auth/password-reset/confirm', { body: { token, password: 'short' } })
    expect(res.status).toBe(400)
    expect((await res.json()).error.issues).toEqual([expect.objectContaining({ path: ['password'], message: 'Use at least 8 characters' })])
    expect((await call(`/reset-password?token=${token}`)).status).toBe(200) // still usable
  })
})

describe('the pages, without JavaScript', () => {
  it(
    'mails a link from /forgot-password, and /reset-password sets the password and signs in',
    async () => {
      const account = await registered()
      expect(await (await call('/login')).text()).toContain('href="/forgot-password"')
      const asked = await postForm('/forgot-password', { email: account.email })
      expect(asked.status).toBe(303)
      expect(asked.headers.get('Location')).toBe('/forgot-password?sent=1')
      expect(await (await call('/forgot-password?sent=1')).text()).toContain(RESET_REQUESTED)
      const token = tokenOf((await deliverMails())[0]!)

      const page = await call(`/reset-password?token=${token}`)
      const html = await page.text()
      expect(html).toContain('<meta name="referrer" content="strict-origin"')
      expect(html).toContain('name="password"')
      const done = await postForm(`/reset-password?token=${token}`, { token, password: 'a brand new password' })
      expect(done.status).toBe(303)
      expect(done.headers.get('Location')).toBe('/account?changed=password')
      const account2 = await call('/account?changed=password', { cookie: sessionCookie(done) })
      expect(await account2.text()).toContain('Your password was changed.')
      expect((await call('/api/auth/me', { cookie: account.cookie })).status).toBe(401)
    },
    SCRYPT_HEAVY,
  )

  it(
    'names the account the link resets (for the shopper and their password manager), and says when another one is signed in here',
    async () => {
      const owner = await registered()
      const other = await registered()
      const token = await resetLinkFor(owner.email)
      const html = (await (await call(`/reset-password?token=${token}`)).text()).replaceAll('<!-- -->', '')
      expect(html).toContain(`For <bdi>${owner.email}</bdi>.`)
      expect(html).toMatch(new RegExp(`<input type="email" autoComplete="username" readOnly="" hidden="" value="${owner.email}"/>`))
      expect(html).not.toContain('You are signed in as')
      const signedInElsewhere = (await (await call(`/reset-password?token=${token}`, { cookie: other.cookie })).text()).replaceAll('<!-- -->', '')
      expect(signedInElsewhere).toContain(
        `You are signed in as <bdi>${other.email}</bdi>: setting this password signs you out of it and in as <bdi>${owner.email}</bdi>.`,
      )
      const set = await postForm(`/reset-password?token=${token}`, { token, password: 'a brand new password' }, { cookie: other.cookie })
      expect(set.status).toBe(303)
      expect((await (await call('/api/auth/me', { cookie: sessionCookie(set) })).json()).user.email).toBe(owner.email)
      expect((await call('/api/auth/me', { cookie: other.cookie })).status).toBe(401) // that browser's session of the other account, ended
    },
    SCRYPT_HEAVY,
  )

  it('says a used or unknown link does not work, with a way to ask again, and refuses its post', async () => {
    const page = await (await call(`/reset-password?token=${'B'.repeat(43)}`)).text()
    expect(page).toContain('does not work any more')
    expect(page).toContain('href="/forgot-password"')
    const post = await postForm(`/reset-password?token=${'B'.repeat(43)}`, { token: 'B'.repeat(43), password: 'a brand new password' })
    expect(post.status).toBe(400)
    expect(await post.text()).toContain('does not work any more')
  })

  it('never logs a token: request lines name the path without its query', async () => {
    const { email } = await registered()
    const token = await resetLinkFor(email)
    await call(`/reset-password?token=${token}`)
    await postForm(`/reset-password?token=${token}`, { token, password: 'short' })
    const lines = logLines.filter((line) => line.includes('/reset-password'))
    expect(lines.length).toBeGreaterThanOrEqual(2)
    expect(logLines.join('\n')).not.toContain(token)
  })
})

describe('without a mail transport', () => {
  it('offers no reset: the pages say so, the API answers 503', async () => {
    const off = await createTestApp({ MAIL_TRANSPORT: 'none' })
    try {
      const request = (path: string, init?: RequestInit) => off.app.request(`http://localhost${path}`, init)
      expect(await (await request('/forgot-password')).text()).toContain('Password resets are not available on this store')
      expect(await (await request(`/reset-password?token=${'C'.repeat(43)}`)).text()).toContain('Password resets are not available on this store')
      const api = await request('/api/auth/password-reset', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: 'http://localhost' },
        body: JSON.stringify({ email: 'ada@example.com' }),
      })
      expect(api.status).toBe(503)
      expect((await api.json()).error.code).toBe('password_resets_unavailable')
      expect(await off.db.selectFrom('tessera_jobs').select('id').where('type', '=', 'send-password-reset').execute()).toEqual([])
    } finally {
      await off.close()
    }
  })
})
