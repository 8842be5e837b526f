import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { serversFor, startBuiltServer, type ServerProcess } from './support/server-process.ts'

/**
 * Accounts over HTTP against the built server (#13 items 10 to 12): the password change limited
 * per user and rotating the session, login limits without the lock-out of an email's owner, and
 * the device cookie signed with SESSION_SECRET. Clients speak from addresses of their own through
 * X-Forwarded-For (TRUST_PROXY=true), as behind a proxy.
 */
const root = inject('builtRoot')
const SECRET = 'accounts-integration-test-secret-0123456789'
const start = serversFor(root, { TRUST_PROXY: 'true' })
let server: ServerProcess
let url: string

beforeAll(async () => {
  server = await startBuiltServer(root, { TRUST_PROXY: 'true', SESSION_SECRET: SECRET })
  url = server.url
})
afterAll(() => server?.stop('SIGKILL'))

let addresses = 0
/** A client address never used before in this file. */
const fresh = () => `10.77.${Math.floor(++addresses / 250)}.${addresses % 250}`
let emails = 0
const newEmail = () => `accounts-${++emails}-${Date.now()}@example.com`
const PASSWORD = 'the right password'
/** The built server runs in production: its cookies are Secure, so named `__Host-…`. */
const SESSION = '__Host-tessera_session'
const DEVICE = '__Host-tessera_device'

/** `name=value` of a response's Set-Cookie, as a browser would send it back. */
function cookieOf(res: Response, name: string): string | undefined {
  return res.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith(`${name}=`) && !cookie.startsWith(`${name}=;`))
    ?.split(';')[0]
}

function postJson(base: string, path: string, body: unknown, { from = fresh(), cookie = '' } = {}) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { Origin: base, 'X-Forwarded-For': from, 'Content-Type': 'application/json', Cookie: cookie },
    body: JSON.stringify(body),
  })
}
function postForm(path: string, fields: Record<string, string>, { from = fresh(), cookie = '' } = {}) {
  return fetch(`${url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: url, 'X-Forwarded-For': from, 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
    body: new URLSearchParams(fields),
  })
}
const me = (cookie: string, base = url) => fetch(`${base}/api/auth/me`, { headers: { Cookie: cookie } })
const logIn = (email: string, password: string, options: { from?: string; cookie?: string } = {}, base = url) =>
  postJson(base, '/api/auth/login', { email, password }, options)

/** A new account: its email, session cookie and (when the server signs them) device cookie. */
async function register(base = url): Promise<{ email: string; session: string; device?: string }> {
  const email = newEmail()
  const res = await postJson(base, '/api/auth/register', { email, name: 'Owner', password: PASSWORD })
  expect(res.status).toBe(201)
  return { email, session: cookieOf(res, SESSION)!, device: cookieOf(res, DEVICE) }
}

/**
 * Wrong passwords for `email` from `addresses` new addresses, `each` from every one; their statuses,
 * address by address. The addresses guess side by side, each its own guesses in turn: every guess
 * costs the server a password hash, and one after another they were most of this file's minute.
 * The limits count each attempt before its hash (login-limits.server.ts), so parallel guesses
 * count the same; no assertion here depends on which address's guess came first.
 */
async function strangersFail(email: string, { addresses, each = 5, base = url }: { addresses: number; each?: number; base?: string }): Promise<number[]> {
  const guessesFrom = async (a: number, from: string) => {
    const statuses: number[] = []
    for (let i = 0; i < each; i++) statuses.push((await logIn(email, `wrong guess ${a}-${i}`, { from }, base)).status)
    return statuses
  }
  const froms = Array.from({ length: addresses }, () => fresh())
  return (await Promise.all(froms.map((from, a) => guessesFrom(a, from)))).flat()
}

const changePassword = (session: string, currentPassword: string, newPassword = 'a brand new password') =>
  postForm('/account', { intent: 'password', currentPassword, newPassword }, { cookie: session })

describe('the password change at /account (item 10)', () => {
  it('is limited per user: five wrong current passwords answer 400, then 429 with Retry-After, even from another session; the right one is refused too while limited', async () => {
    const { email, session } = await register()
    const other = cookieOf(await logIn(email, PASSWORD), SESSION)!
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await changePassword(session, `wrong current ${i}`)).status)
    expect(statuses).toEqual([400, 400, 400, 400, 400])
    const limited = await changePassword(other, 'one more guess')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(await limited.text()).toMatch(/Too many attempts/)
    const right = await changePassword(session, PASSWORD)
    expect(right.status).toBe(429)
    // Nothing changed: the old password still opens the account, both sessions live.
    expect((await logIn(email, PASSWORD)).status).toBe(200)
    expect((await me(session)).status).toBe(200)
    expect((await me(other)).status).toBe(200)
  })

  it('is limited per user also when each change works: 10 an hour (each costs two password hashes), then 429', async () => {
    let { session } = await register()
    const statuses = []
    for (let i = 0; i < 11; i++) {
      const res = await changePassword(session, PASSWORD, PASSWORD) // to itself again: it works, and costs as much
      statuses.push(res.status)
      session = cookieOf(res, SESSION) ?? session
    }
    expect(statuses).toEqual([...Array(10).fill(303), 429])
  })

  it('rotates the session: the old cookie is signed out, the new one set works, other sessions end', async () => {
    const { email, session } = await register()
    const elsewhere = cookieOf(await logIn(email, PASSWORD), SESSION)!
    const res = await changePassword(session, PASSWORD, 'a brand new password')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/account?changed=password')
    const rotated = cookieOf(res, SESSION)
    expect(rotated).toBeDefined()
    expect(rotated).not.toBe(session)
    expect(res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION}=`))).toMatch(/HttpOnly.*SameSite=Lax|SameSite=Lax.*HttpOnly/)
    expect((await me(session)).status).toBe(401)
    expect((await me(elsewhere)).status).toBe(401)
    const now = await me(rotated!)
    expect(now.status).toBe(200)
    expect((await now.json()).user.email).toBe(email)
    expect((await logIn(email, PASSWORD)).status).toBe(401)
    expect((await logIn(email, 'a brand new password')).status).toBe(200)
  })

  it("voids the user's device cookies from before the change; the browser that changed it gets a new one", async () => {
    const { email, session } = await register()
    const elsewhere = cookieOf(await logIn(email, PASSWORD), DEVICE)!
    const res = await changePassword(session, PASSWORD, 'a brand new password')
    const renewed = cookieOf(res, DEVICE)
    expect(renewed).toBeDefined()
    await strangersFail(email, { addresses: 11 })
    expect((await logIn(email, 'a brand new password', { cookie: elsewhere })).status).toBe(429)
    expect((await logIn(email, 'a brand new password', { cookie: renewed })).status).toBe(200)
  })
})

describe('login limits without the lock-out (item 11)', () => {
  it('lets the owner in from a new address after strangers failed from many others (no lock-out by email)', async () => {
    const { email } = await register()
    expect(await strangersFail(email, { addresses: 10, each: 1 })).toEqual(Array(10).fill(401))
    expect((await logIn(email, PASSWORD)).status).toBe(200)
  })

  it('limits a stranger after five failures of their own from their address (429 with Retry-After); another address is not held by them', async () => {
    const { email } = await register()
    const from = fresh()
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await logIn(email, `guess ${i}`, { from })).status)
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
    const limited = await logIn(email, PASSWORD, { from })
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect((await limited.json()).error.code).toBe('too_many_requests')
    expect((await logIn(email, 'another guess')).status).toBe(401)
  })

  it('holds an email for everyone without its device cookie after 50 failures from any addresses (the ceiling), the right password too', async () => {
    const { email } = await register()
    expect(await strangersFail(email, { addresses: 10 })).toEqual(Array(50).fill(401))
    const held = await logIn(email, 'guess 51')
    expect(held.status).toBe(429)
    const retryAfter = Number(held.headers.get('Retry-After'))
    expect(retryAfter).toBeGreaterThan(14 * 60)
    expect(retryAfter).toBeLessThanOrEqual(15 * 60)
    expect((await logIn(email, PASSWORD)).status).toBe(429)
    // By the form too: the login page again with the message, 429.
    const form = await postForm('/login', { email, password: PASSWORD })
    expect(form.status).toBe(429)
    expect(form.headers.get('Retry-After')).toBeTruthy()
  })

  it('lets the owner with a device cookie in while strangers keep failing, from any address; the cookie is renewed', async () => {
    const { email, device } = await register()
    expect(device).toMatch(/^__Host-tessera_device=/)
    await strangersFail(email, { addresses: 11 })
    expect((await logIn(email, 'still guessing')).status).toBe(429)
    const res = await logIn(email, PASSWORD, { cookie: device })
    expect(res.status).toBe(200)
    expect(cookieOf(res, SESSION)).toBeDefined()
    const renewed = cookieOf(res, DEVICE)
    expect(renewed).toBeDefined()
    expect(renewed).not.toBe(device)
    expect((await logIn(email, 'still guessing')).status).toBe(429)
    expect((await logIn(email, PASSWORD, { cookie: renewed })).status).toBe(200)
  })

  it('still limits a device cookie by its own failures: five, then 429 even with the right password', async () => {
    const { email, device } = await register()
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await logIn(email, `typo ${i}`, { cookie: device })).status)
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
    expect((await logIn(email, PASSWORD, { cookie: device })).status).toBe(429)
    // Its failures are its own: a stranger from a new address still gets to try.
    expect((await logIn(email, PASSWORD)).status).toBe(200)
  })

  it("gives nothing for a forged, tampered or other user's device cookie", async () => {
    const owner = await register()
    const other = await register()
    const ownerId = (await (await me(owner.session)).json()).user.id as number
    await strangersFail(owner.email, { addresses: 11 })
    const [, otherValue] = other.device!.split('=') as [string, string]
    const [, ...rest] = otherValue.split('.')
    const ownerValue = owner.device!.split('=')[1]!
    const forgeries = [
      other.device!, // a real cookie, of someone else
      `${DEVICE}=${[ownerId, ...rest].join('.')}`, // someone else's, claiming the owner's id
      `${DEVICE}=${tamper(ownerValue, ownerValue.lastIndexOf('.') + 1)}`, // tampered signature
      `${DEVICE}=${ownerValue.slice(0, -1)}${BASE64URL[BASE64URL.indexOf(ownerValue.at(-1)!) ^ 1]}`, // the MAC's spare bits: the same bytes, another text
      `${DEVICE}=${ownerValue.replace(/\.(\d+)\./, (_, expiry: string) => `.${Number(expiry) + 1000}.`)}`, // tampered expiry
      `${DEVICE}=${signed('not the server secret', ownerValue)}`, // signed with another key
      `${DEVICE}=made-up`,
    ]
    for (const cookie of forgeries) expect([cookie, (await logIn(owner.email, PASSWORD, { cookie })).status]).toEqual([cookie, 429])
    expect((await logIn(owner.email, PASSWORD, { cookie: owner.device })).status).toBe(200)
  })

  it('sets the device cookie HttpOnly, SameSite=Lax, Secure (production), for a year', async () => {
    const res = await postJson(url, '/api/auth/register', { email: newEmail(), name: 'Owner', password: PASSWORD })
    const header = res.headers.getSetCookie().find((c) => c.startsWith(`${DEVICE}=`))
    expect(header).toBeDefined()
    expect(header).toMatch(/; HttpOnly/)
    expect(header).toMatch(/; SameSite=Lax/)
    expect(header).toMatch(/; Secure/)
    expect(header).toMatch(/; Path=\//)
    expect(Number(/Max-Age=(\d+)/.exec(header!)?.[1])).toBeGreaterThan(364 * 24 * 3600)
  })
})

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
/** `value` with the character at `index` replaced by its neighbour in the alphabet. */
const tamper = (value: string, index: number) => `${value.slice(0, index)}${value[index] === 'A' ? 'B' : 'A'}${value.slice(index + 1)}`

/** The owner's cookie value, its MAC remade with a key of our own (the format is no secret; the key is). */
function signed(key: string, value: string): string {
  const body = value.slice(0, value.lastIndexOf('.'))
  return `${body}.${createHmac('sha256', key).update(`tessera-device:${body}`).digest('base64url')}`
}

describe('SESSION_SECRET (item 12)', () => {
  it('signs the device cookies only: another secret voids them, sessions live on', async () => {
    const databasePath = `${root}/secret-change-${Date.now()}.sqlite`
    const first = await start({ SESSION_SECRET: SECRET, DATABASE_PATH: databasePath })
    const owner = await register(first.url)
    expect(owner.device).toBeDefined()
    await first.stop()
    const second = await start({ SESSION_SECRET: 'another-secret-of-at-least-32-characters', DATABASE_PATH: databasePath })
    expect((await me(owner.session, second.url)).status).toBe(200)
    await strangersFail(owner.email, { addresses: 11, base: second.url })
    expect((await logIn(owner.email, PASSWORD, { cookie: owner.device }, second.url)).status).toBe(429)
    await second.stop()
  })

  it('in production without it: no device cookies, and one line at start-up says so', async () => {
    const bare = await start()
    const res = await postJson(bare.url, '/api/auth/register', { email: newEmail(), name: 'Owner', password: PASSWORD })
    expect(res.status).toBe(201)
    expect(cookieOf(res, SESSION)).toBeDefined()
    expect(cookieOf(res, DEVICE)).toBeUndefined()
    expect(bare.output().match(/SESSION_SECRET is unset/g)).toHaveLength(1)
  })
})
