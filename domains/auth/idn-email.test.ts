import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../tests/support/test-app.ts'
import { emailSchema } from './schemas.ts'

/*
 * Internationalised email addresses. A domain in other letters (IDNA: `exämple.com`) is an
 * ordinary domain to mail, which is sent to its ASCII form (`xn--exmple-cua.com`): accepted, kept
 * in that form, so an account is found however its domain is spelt. Letters outside ASCII before
 * the @ need every mail server on the way to speak SMTPUTF8 (RFC 6531), which many do not: such an
 * address is refused with a message that says why, rather than taken and never reached.
 */

let testApp: Awaited<ReturnType<typeof createTestApp>>
let ip = 0
beforeAll(async () => {
  testApp = await createTestApp({ TRUST_PROXY: 'true' })
})
afterAll(() => testApp.close())

const call = (path: string, body: unknown) =>
  testApp.app.request(`http://localhost${path}`, {
    method: 'POST',
    headers: { 'X-Forwarded-For': `10.7.0.${++ip}`, Origin: 'http://localhost', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })

describe('an email address whose domain is in other letters', () => {
  it('registers, is kept by its ASCII (punycode) domain, and logs in however the domain is spelt', async () => {
    const registered = await call('/api/auth/register', { email: ' Zoë.Test@Exämple.com ', name: 'Zoë', password: 'a long password' })
    // The part before the @ here is ASCII: "Zoë" is the name.
    expect(registered.status).toBe(400)
    const res = await call('/api/auth/register', { email: ' Zoe.Test@Exämple.COM ', name: 'Zoë', password: 'a long password' })
    expect(res.status).toBe(201)
    const { user } = (await res.json()) as { user: { email: string } }
    expect(user.email).toBe('zoe.test@exämple.com') // shown as typed (lower-cased)
    expect(await testApp.db.selectFrom('users').select('email').where('email', 'like', 'zoe.test@%').execute()).toEqual([
      { email: 'zoe.test@xn--exmple-cua.com' },
    ])
    for (const email of ['zoe.test@exämple.com', 'ZOE.TEST@EXÄMPLE.COM', 'zoe.test@xn--exmple-cua.com', 'zoe.test@exa\u0308mple.com'])
      expect((await call('/api/auth/login', { email, password: 'a long password' })).status, email).toBe(200)
    // Spelt the other way, it is the same account.
    const again = await call('/api/auth/register', { email: 'zoe.test@xn--exmple-cua.com', name: 'Twin', password: 'a long password' })
    expect(again.status).toBe(409)
  })

  it('refuses letters outside ASCII before the @ with a message that says why', async () => {
    const res = await call('/api/auth/register', { email: 'ümlaut@exämple.com', name: 'Ü', password: 'a long password' })
    expect(res.status).toBe(400)
    const { error } = (await res.json()) as { error: { issues: { path: string[]; message: string }[] } }
    expect(error.issues).toMatchObject([
      {
        path: ['email'],
        message: 'Use an address with only plain letters (a–z), digits and . _ + - before the @: many mail services cannot deliver to other letters there',
      },
    ])
  })

  it('works the same through the register form (no JavaScript): a 303 for the domain, the reason on the page for the local part', async () => {
    const form = (email: string) =>
      testApp.app.request('http://localhost/register', {
        method: 'POST',
        headers: { 'X-Forwarded-For': `10.7.1.${++ip}`, Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email, name: 'Form', password: 'a long password' }),
      })
    expect((await form('form@bücher.example')).status).toBe(303)
    const refused = await form('bücher@bücher.example')
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain('many mail services cannot deliver to other letters there')
  })

  it('is still refused when it is no domain (a port, a path, a space)', () => {
    for (const email of ['a@exämple.com:80', 'a@exämple.com/x', 'a@ex ämple.com', 'a@exämple', 'a@.exämple.com'])
      expect(emailSchema.safeParse(email).success, email).toBe(false)
  })
})
