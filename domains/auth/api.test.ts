import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../tests/support/test-app.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>
let ip = 0
/** Each test speaks from its own address, so the per-address rate limits do not leak between tests. */
const newClient = () => `10.0.${Math.floor(++ip / 250)}.${ip % 250}`

beforeAll(async () => {
  testApp = await createTestApp({ TRUST_PROXY: 'true' })
})
afterAll(() => testApp.close())

function call(
  path: string,
  { body, cookie, from = '10.9.9.9', method = body ? 'POST' : 'GET' }: { body?: unknown; cookie?: string; from?: string; method?: string } = {},
) {
  // Browsers send Origin with every POST; Hono's csrf() refuses a body-less POST without it.
  const headers: Record<string, string> = { 'X-Forwarded-For': from, Origin: 'http://localhost' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (cookie) headers.Cookie = cookie
  return testApp.app.request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
}

/** `tessera_session=…` from a response's Set-Cookie, as a browser would send it back. */
function sessionCookie(res: Response): string {
  const header = res.headers.getSetCookie().find((cookie) => cookie.startsWith('tessera_session='))
  expect(header).toBeDefined()
  return header!.split(';')[0]!
}

/** For a test of a dozen logins or sign-ups: each hashes a password (scrypt), seconds in all on a busy machine. */
const SCRYPT_HEAVY = 30_000

let emails = 0
const newEmail = () => `user${++emails}@example.com`

async function registered(password = 'long enough') {
  const email = newEmail()
  const res = await call('/api/auth/register', { body: { email, name: 'Ada', password }, from: newClient() })
  expect(res.status).toBe(201)
  return { email, password, cookie: sessionCookie(res) }
}

describe('POST /api/auth/register', () => {
  it('creates the account, signs it in, and never returns password data', async () => {
    const res = await call('/api/auth/register', { body: { email: '  New@Example.com ', name: 'New', password: 'long enough' }, from: newClient() })
    expect(res.status).toBe(201)
    const { user } = await res.json()
    expect(user).toEqual({ id: expect.any(Number), email: 'new@example.com', name: 'New', role: 'customer', createdAt: expect.any(String) })
    const me = await call('/api/auth/me', { cookie: sessionCookie(res) })
    expect((await me.json()).user.email).toBe('new@example.com')
  })

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, 30 days', async () => {
    const res = await call('/api/auth/register', { body: { email: newEmail(), name: 'A', password: 'long enough' }, from: newClient() })
    const header = res.headers.getSetCookie().find((cookie) => cookie.startsWith('tessera_session='))!
    expect(header).toMatch(/; HttpOnly/)
    expect(header).toMatch(/; SameSite=Lax/)
    expect(header).toMatch(/; Path=\//)
    expect(header).toMatch(/; Max-Age=259\d{4}/)
    expect(header).not.toMatch(/; Secure/) // not in tests; see the production check below
  })

  it('answers a taken email with 409', async () => {
    const { email } = await registered()
    const res = await call('/api/auth/register', { body: { email: email.toUpperCase(), name: 'B', password: 'long enough' }, from: newClient() })
    expect(res.status).toBe(409)
    expect((await res.json()).error.code).toBe('email_taken')
  })

  it('answers invalid input with 400 and zod issues per field', async () => {
    const res = await call('/api/auth/register', { body: { email: 'not-an-email', name: '', password: 'short' }, from: newClient() })
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.code).toBe('invalid_input')
    expect(error.issues.map((issue: { path: string[] }) => issue.path[0]).sort()).toEqual(['email', 'name', 'password'])
  })

  it('refuses an address no mail reaches (65 characters before the @) and a name of invisible characters', async () => {
    const res = await call('/api/auth/register', {
      body: { email: `${'a'.repeat(65)}@example.com`, name: '\u200b\u2060', password: 'long enough' },
      from: newClient(),
    })
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.issues.map((issue: { path: string[]; message: string }) => [issue.path[0], issue.message])).toEqual([
      ['email', 'The part before the @ is too long (64 characters at most)'],
      ['name', 'Use letters, digits or signs: not only spaces or invisible characters'],
    ])
    const longest = await call('/api/auth/register', {
      body: { email: `${'a'.repeat(64)}@example.com`, name: 'A', password: 'long enough' },
      from: newClient(),
    })
    expect(longest.status).toBe(201)
  })

  it('refuses a password longer than 256 characters', async () => {
    const res = await call('/api/auth/register', { body: { email: newEmail(), name: 'A', password: 'x'.repeat(257) }, from: newClient() })
    expect(res.status).toBe(400)
  })

  it(
    'counts a name and a password in characters as a reader sees them: 100 emoji is a name, 4 emoji no password; the form lets either through',
    async () => {
      const emoji = await call('/api/auth/register', { body: { email: newEmail(), name: '👍🏽'.repeat(100), password: '🔑'.repeat(256) }, from: newClient() })
      expect(emoji.status).toBe(201)
      expect((await emoji.json()).user.name).toBe('👍🏽'.repeat(100))
      const marks = await call('/api/auth/register', { body: { email: newEmail(), name: 'e\u0301'.repeat(100), password: 'long enough' }, from: newClient() })
      expect(marks.status).toBe(201) // NFC makes each é one code unit; the limit counts it once either way
      const tooLong = await call('/api/auth/register', { body: { email: newEmail(), name: '😀'.repeat(101), password: 'long enough' }, from: newClient() })
      expect((await tooLong.json()).error.issues).toEqual([expect.objectContaining({ path: ['name'], message: 'Use at most 100 characters' })])
      const short = await call('/api/auth/register', { body: { email: newEmail(), name: 'A', password: '🔑🔑🔑🔑' }, from: newClient() })
      expect((await short.json()).error.issues).toEqual([expect.objectContaining({ path: ['password'], message: 'Use at least 8 characters' })])
      // The 256-emoji password logs in.
      const { user } = await (await call('/api/auth/me', { cookie: sessionCookie(emoji) })).json()
      expect((await call('/api/auth/login', { body: { email: user.email, password: '🔑'.repeat(256) }, from: newClient() })).status).toBe(200)
      // The forms' maxlength (UTF-16 code units, as browsers count) never stops what the server takes.
      const page = await (await call('/register')).text()
      expect(page).toMatch(/<input [^>]*maxLength="1000" name="name"/)
    },
    SCRYPT_HEAVY,
  )

  it('refuses a password holding half a character (a lone surrogate), which hashing would make another password’s twin', async () => {
    const res = await call('/api/auth/register', { body: { email: newEmail(), name: 'A', password: '\ud800'.repeat(8) }, from: newClient() })
    expect(res.status).toBe(400)
    expect((await res.json()).error.issues).toEqual([expect.objectContaining({ path: ['password'] })])
    // An account whose password is eight U+FFFD (what each half became): not signed in by halves either.
    const { email } = await registered('\ufffd'.repeat(8))
    const halves = await call('/api/auth/login', { body: { email, password: '\udfff'.repeat(8) }, from: newClient() })
    expect(halves.status).toBe(400)
    expect(halves.headers.getSetCookie().some((cookie) => cookie.startsWith('tessera_session='))).toBe(false)
    // Emoji and other characters beyond the first 65,536 are whole pairs: welcome.
    expect((await registered('🔑🔑 long enough')).email).toMatch(/@example\.com$/)
  })

  it('limits registrations per address (429 with Retry-After)', async () => {
    const from = newClient()
    const statuses = []
    for (let i = 0; i < 6; i++)
      statuses.push((await call('/api/auth/register', { body: { email: newEmail(), name: 'A', password: 'long enough' }, from })).status)
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429])
    const limited = await call('/api/auth/register', { body: { email: newEmail(), name: 'A', password: 'long enough' }, from })
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect((await limited.json()).error.code).toBe('too_many_requests')
  })
})

describe('POST /api/auth/login', () => {
  it('signs in with a new session id each time (no fixation)', async () => {
    const { email, password, cookie: first } = await registered()
    const res = await call('/api/auth/login', { body: { email, password }, cookie: first, from: newClient() })
    expect(res.status).toBe(200)
    expect((await res.json()).user.email).toBe(email)
    const second = sessionCookie(res)
    expect(second).not.toBe(first)
    expect((await call('/api/auth/me', { cookie: first })).status).toBe(401) // the old session is gone
    expect((await call('/api/auth/me', { cookie: second })).status).toBe(200)
  })

  it('answers a wrong password and an unknown email alike: 401, one message', async () => {
    const { email } = await registered()
    const wrong = await call('/api/auth/login', { body: { email, password: 'wrong password' }, from: newClient() })
    const unknown = await call('/api/auth/login', { body: { email: newEmail(), password: 'wrong password' }, from: newClient() })
    expect([wrong.status, unknown.status]).toEqual([401, 401])
    expect(await wrong.json()).toEqual(await unknown.json())
  })

  it('limits attempts per address: the 6th in a minute answers 429 with Retry-After', async () => {
    const from = newClient()
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await call('/api/auth/login', { body: { email: newEmail(), password: 'whatever1' }, from })).status)
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
  })

  it('counts the address our proxy added, not one the client wrote before it in X-Forwarded-For', async () => {
    const from = newClient()
    const statuses = []
    for (let i = 0; i < 6; i++) {
      const forged = `203.0.113.${i}, ${from}` // as nginx's $proxy_add_x_forwarded_for passes a client's own header on
      statuses.push((await call('/api/auth/login', { body: { email: newEmail(), password: 'whatever1' }, from: forged })).status)
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
  })

  it(
    'counts an IPv6 client by its /64: a new address of the same host for each attempt is no new limit',
    async () => {
      const statuses = []
      for (let i = 1; i <= 6; i++)
        statuses.push((await call('/api/auth/login', { body: { email: newEmail(), password: 'whatever1' }, from: `2001:db8:77:1::${i}` })).status)
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
      const signUps = []
      for (let i = 1; i <= 6; i++)
        signUps.push(
          (await call('/api/auth/register', { body: { email: newEmail(), name: 'A', password: 'long enough' }, from: `2001:db8:77:2:${i}::1` })).status,
        )
      expect(signUps).toEqual([201, 201, 201, 201, 201, 429])
      expect((await call('/api/auth/login', { body: { email: newEmail(), password: 'whatever1' }, from: '2001:db8:77:3::1' })).status).toBe(401) // another /64
    },
    SCRYPT_HEAVY,
  )

  it('never keys a limit on a forwarded entry that is not an address: it falls back to the connection', async () => {
    const statuses = []
    for (let i = 0; i < 6; i++) {
      const junk = [`203.0.113.${i}, `, `x${i}`, `203.0.113.${i},,`][i % 3]! // a trailing comma, a word, an empty entry
      statuses.push((await call('/api/auth/login', { body: { email: newEmail(), password: 'whatever1' }, from: junk })).status)
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]) // one connection ('unknown' in-process): one limit
  })

  it(
    "limits a stranger's failures per email and address, without locking the owner out from elsewhere",
    async () => {
      const { email, password } = await registered()
      const stranger = newClient()
      const statuses = []
      for (let i = 0; i < 6; i++) statuses.push((await call('/api/auth/login', { body: { email, password: 'wrong one' }, from: stranger })).status)
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
      for (let i = 0; i < 6; i++) expect((await call('/api/auth/login', { body: { email, password: 'wrong one' }, from: newClient() })).status).toBe(401)
      expect((await call('/api/auth/login', { body: { email, password }, from: newClient() })).status).toBe(200)
    },
    SCRYPT_HEAVY,
  )

  it('marks the browser as a device of the user at sign-in (signed with the development key in tests)', async () => {
    const { email, password } = await registered()
    const res = await call('/api/auth/login', { body: { email, password }, from: newClient() })
    const header = res.headers.getSetCookie().find((cookie) => cookie.startsWith('tessera_device='))
    expect(header).toMatch(/^tessera_device=\d+\.[\w-]{22}\.\d{13}\.[\w-]{43}; Max-Age=31536000; .*HttpOnly; SameSite=Lax/)
  })
})

describe('sessions over HTTP', () => {
  it('logs out: 204, the cookie cleared, the session deleted', async () => {
    const { cookie } = await registered()
    const res = await call('/api/auth/logout', { method: 'POST', cookie })
    expect(res.status).toBe(204)
    expect(res.headers.getSetCookie().some((c) => c.startsWith('tessera_session=;') && /Max-Age=0/.test(c))).toBe(true)
    expect((await call('/api/auth/me', { cookie })).status).toBe(401)
  })

  it('refuses a cross-site logout (CSRF): 403, the session stays', async () => {
    const { cookie } = await registered()
    const res = await testApp.app.request('http://localhost/api/auth/logout', { method: 'POST', headers: { Cookie: cookie, Origin: 'https://evil.example' } })
    expect(res.status).toBe(403)
    expect((await call('/api/auth/me', { cookie })).status).toBe(200)
  })

  it('treats an unknown or tampered cookie as nobody, and clears it', async () => {
    const { cookie } = await registered()
    const tampered = `${cookie.slice(0, -2)}xx`
    const res = await call('/api/auth/me', { cookie: tampered })
    expect(res.status).toBe(401)
    expect(res.headers.getSetCookie().some((c) => c.startsWith('tessera_session=;'))).toBe(true)
    expect((await call('/api/auth/me', { cookie: 'tessera_session=made-up' })).status).toBe(401)
  })

  it('treats an expired session as nobody', async () => {
    const { cookie } = await registered()
    await testApp.db
      .updateTable('sessions')
      .set({ expires_at: Date.now() - 1 })
      .execute()
    expect((await call('/api/auth/me', { cookie })).status).toBe(401)
  })

  it('answers GET /api/auth/me without a session with 401 JSON', async () => {
    const res = await call('/api/auth/me')
    expect(res.status).toBe(401)
    expect((await res.json()).error.code).toBe('unauthorized')
  })
})

describe('pages', () => {
  it('sends a visitor without a session from /account to /login?next=/account', async () => {
    const res = await call('/account')
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/login?next=%2Faccount')
  })

  it("keeps a signed-in user's answers out of shared caches and the history: private, no-store", async () => {
    const { cookie } = await registered()
    for (const path of ['/account', '/api/auth/me', '/api/cart', '/cart']) {
      const res = await call(path, { cookie })
      expect([path, res.status, res.headers.get('Cache-Control')]).toEqual([path, 200, 'private, no-store'])
    }
  })

  it("keeps what a visitor without cookies gets from a cookie's routes out of shared caches too", async () => {
    // A CDN that stored the empty cart or the 401 would hand them to a cart holder or a signed-in user.
    for (const path of ['/api/auth/me', '/api/cart', '/cart', '/login']) {
      expect([path, (await call(path)).headers.get('Cache-Control')]).toEqual([path, 'private, no-store'])
    }
    // The catalogue reads no cookie: shared pages say so themselves, its API answers revalidate by ETag.
    expect((await call('/products')).headers.get('Cache-Control')).toMatch(/^public/)
    expect((await call('/api/products?limit=1')).headers.get('Cache-Control')).toBeNull()
    // Nor does the header of a page for a visitor without cookies (no one to look up): a 404, the API reference.
    for (const path of ['/no-such-page', '/api-docs']) expect([path, (await call(path)).headers.get('Cache-Control')]).toEqual([path, null])
  })

  it('shows /account to its user, and their name in the header', async () => {
    const { cookie, email } = await registered()
    const html = await (await call('/account', { cookie })).text()
    expect(html).toContain(email)
    expect(html).toContain('Signed in as <bdi>Ada</bdi>') // isolated: a name's direction cannot reorder the words around it
    expect(html).not.toContain('password_hash')
  })

  it('logs in through the form without JavaScript and goes to ?next (same site only)', async () => {
    const { email, password } = await registered()
    const form = (next: string) => new URLSearchParams({ email, password, next })
    const post = (next: string) =>
      testApp.app.request('http://localhost/login', {
        method: 'POST',
        body: form(next),
        headers: { Origin: 'http://localhost', 'X-Forwarded-For': newClient() },
      })
    const ok = await post('/account')
    expect(ok.status).toBe(303)
    expect(ok.headers.get('Location')).toBe('/account')
    expect(ok.headers.getSetCookie().some((c) => c.startsWith('tessera_session='))).toBe(true)
    for (const hostile of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
      expect((await post(hostile)).headers.get('Location')).toBe('/')
    }
  })

  it('keeps ?next between the log-in and sign-up pages, each way', async () => {
    const login = await (await call('/login?next=%2Fcheckout')).text()
    expect(login).toContain('href="/register?next=%2Fcheckout"')
    const register = await (await call('/register?next=%2Fcheckout')).text()
    expect(register).toContain('href="/login?next=%2Fcheckout"')
    expect(await (await call('/register')).text()).toContain('href="/login"')
  })

  it('shows the login form again with one generic error for wrong credentials', async () => {
    const res = await testApp.app.request('http://localhost/login', {
      method: 'POST',
      body: new URLSearchParams({ email: 'nobody@example.com', password: 'whatever1' }),
      headers: { Origin: 'http://localhost', 'X-Forwarded-For': newClient() },
    })
    expect(res.status).toBe(401)
    const html = await res.text()
    expect(html).toContain('Wrong email or password.')
    expect(html).toContain('value="nobody@example.com"')
    expect(html).not.toContain('whatever1')
  })
})

describe('in production', () => {
  it('marks the session cookie Secure', async () => {
    const prod = await createTestApp({ NODE_ENV: 'production', TRUST_PROXY: 'true' })
    const res = await prod.app.request('http://localhost/api/auth/register', {
      method: 'POST',
      body: JSON.stringify({ email: newEmail(), name: 'A', password: 'long enough' }),
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': newClient() },
    })
    expect(res.headers.getSetCookie().find((c) => c.startsWith('__Host-tessera_session='))).toMatch(/; Secure/)
    await prod.close()
  })

  it('names its cookies __Host-, and takes no session a sibling subdomain could plant without the prefix', async () => {
    const prod = await createTestApp({ NODE_ENV: 'production', TRUST_PROXY: 'true' })
    const request = (path: string, cookie: string, method = 'GET') =>
      prod.app.request(`http://localhost${path}`, { method, headers: { Cookie: cookie, Origin: 'http://localhost', 'X-Forwarded-For': newClient() } })
    const res = await prod.app.request('http://localhost/api/auth/register', {
      method: 'POST',
      body: JSON.stringify({ email: newEmail(), name: 'Prefixed', password: 'long enough' }),
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': newClient() },
    })
    const set = res.headers.getSetCookie()
    expect(set.find((c) => c.startsWith('__Host-tessera_session='))).toMatch(/; Path=\/.*; Secure/)
    expect(set.join('\n')).not.toMatch(/^tessera_|Domain=/im)
    const token = set
      .find((c) => c.startsWith('__Host-tessera_session='))!
      .split(';')[0]!
      .split('=')[1]!

    expect((await (await request('/api/auth/me', `__Host-tessera_session=${token}`)).json()).user.name).toBe('Prefixed')
    // Planted by another host of the site: a browser sends it along, the store does not read it.
    expect((await request('/api/auth/me', `tessera_session=${token}`)).status).toBe(401)
    // The signed-in shopper's page is theirs, never the page cache's.
    const home = await request('/', `__Host-tessera_session=${token}`)
    expect(home.headers.get('Cache-Control')).toBe('private, no-store')
    expect(await home.text()).toContain('Prefixed')
    const out = await request('/api/auth/logout', `__Host-tessera_session=${token}`, 'POST')
    expect(out.headers.getSetCookie().find((c) => c.startsWith('__Host-tessera_session='))).toMatch(/Max-Age=0/)
    await prod.close()
  })
})

describe('admins', () => {
  it('come from ADMIN_EMAIL/ADMIN_PASSWORD at start-up, and requireAdmin lets only them through', async () => {
    const withAdmin = await createTestApp({ TRUST_PROXY: 'true', ADMIN_EMAIL: 'Boss@Example.com', ADMIN_PASSWORD: 'admin password' })
    const request = (path: string, init: { body?: unknown; cookie?: string } = {}) =>
      withAdmin.app.request(`http://localhost${path}`, {
        method: init.body ? 'POST' : 'GET',
        body: init.body ? JSON.stringify(init.body) : undefined,
        headers: {
          'Content-Type': 'application/json',
          Origin: 'http://localhost',
          'X-Forwarded-For': newClient(),
          ...(init.cookie ? { Cookie: init.cookie } : {}),
        },
      })
    try {
      const login = await request('/api/auth/login', { body: { email: 'boss@example.com', password: 'admin password' } })
      expect((await login.json()).user.role).toBe('admin')
      expect((await request('/api/demo/secret', { cookie: sessionCookie(login) })).status).toBe(200)

      const customer = await request('/api/auth/register', { body: { email: newEmail(), name: 'C', password: 'long enough' } })
      const refused = await request('/api/demo/secret', { cookie: sessionCookie(customer) })
      expect(refused.status).toBe(403)
      expect((await refused.json()).error.code).toBe('forbidden')
      expect((await request('/api/demo/secret')).status).toBe(401)
    } finally {
      await withAdmin.close()
    }
  })
})
