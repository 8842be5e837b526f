import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import { startBuiltServer, type ServerProcess } from './support/server-process.ts'
import { logIn, signUp } from './support/sessions.ts'

/**
 * Hostile input over HTTP against the built server (#13 items 4 to 9): redirects to any path,
 * 400/404 for malformed ids, pages and amounts, 405 with Allow, 413 as a page, safe image URLs,
 * strict integers and no control characters in stored text.
 */
const root = inject('builtRoot')
let server: ServerProcess
let url: string
let admin: string
let addresses = 0

beforeAll(async () => {
  server = await startBuiltServer(root, { TRUST_PROXY: 'true', ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'admin password' })
  url = server.url
  admin = await logIn(url, { email: 'admin@example.com', password: 'admin password' }, { headers: from() })
})
afterAll(() => server?.stop('SIGKILL'))

/** Each caller speaks from an address of its own: the log-in and sign-up limits are per address. */
const from = () => ({ Origin: url, 'X-Forwarded-For': `10.13.${Math.floor(++addresses / 250)}.${addresses % 250}` })

/** A new customer (signed in) and their email. */
async function customer(): Promise<{ email: string; cookie: string }> {
  const email = `hostile-${++addresses}-${Date.now()}@example.com`
  return { email, cookie: await signUp(url, { email, name: 'Hostile Tester', password: 'long enough' }, { headers: from() }) }
}

const get = (path: string, cookie = '', init: RequestInit = {}) =>
  fetch(`${url}${path}`, { redirect: 'manual', ...init, headers: { ...from(), Cookie: cookie, ...init.headers } })
const postForm = (path: string, fields: Record<string, string>, cookie = '', headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...from(), 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie, ...headers },
    body: new URLSearchParams(fields),
  })
const sendJson = (method: string, path: string, body: unknown, cookie = admin) =>
  fetch(`${url}${path}`, { method, headers: { ...from(), 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify(body) })
const isHtml = (res: Response) => res.headers.get('content-type')?.startsWith('text/html')

describe('redirects to any same-site path (item 4)', () => {
  const japanese = '/admin/products?q=日本'
  const japaneseLocation = '/admin/products?q=%E6%97%A5%E6%9C%AC'

  it('signs in and goes to a next= holding Japanese (was a 500: "Cannot convert argument to a ByteString")', async () => {
    const { email } = await customer()
    const res = await postForm('/login', { email, password: 'long enough', next: japanese })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(japaneseLocation)
    expect(res.headers.getSetCookie().join()).toMatch(/tessera_session=/)
  })

  it('answers the same sign-in by fetch (JavaScript on) with the encoded target', async () => {
    const { email } = await customer()
    const res = await postForm('/login', { email, password: 'long enough', next: japanese }, '', { 'X-Tessera-Action': '1' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, redirect: japaneseLocation })
  })

  it('sends a signed-in visitor on from /login?next= with any text, encoded as UTF-8', async () => {
    const { cookie } = await customer()
    for (const [next, location] of [
      ['/%E3%80%82', '/%E3%80%82'], // "/。"
      ['%E3%80%82', '/'], // "。" alone is no path
      ['/caf%C3%A9?q=%C3%A9t%C3%A9', '/caf%C3%A9?q=%C3%A9t%C3%A9'], // U+00E9 once went out as one Latin-1 byte
      [encodeURIComponent(japanese), japaneseLocation],
    ]) {
      const res = await get(`/login?next=${next}`, cookie)
      expect([next, res.status, res.headers.get('location')]).toEqual([next, 302, location])
    }
  })

  it('never lets CR LF through into the headers', async () => {
    const { cookie } = await customer()
    const res = await get('/login?next=/%0D%0ASet-Cookie:%20evil=1%0D%0A', cookie)
    expect([res.status, res.headers.get('location')]).toEqual([302, '/'])
    expect(res.headers.getSetCookie().join()).not.toContain('evil')
  })

  it('ignores a next= too long for a Location header (over 2,048 characters encoded) and goes home', async () => {
    const { cookie, email } = await customer()
    const long = `/products?q=${'日'.repeat(300)}` // 300 characters, 2,700 once encoded
    expect((await get(`/login?next=${encodeURIComponent(long)}`, cookie)).headers.get('location')).toBe('/')
    const signedIn = await postForm('/login', { email, password: 'long enough', next: `/${'a'.repeat(3000)}` })
    expect([signedIn.status, signedIn.headers.get('location')]).toEqual([303, '/'])
    const fits = `/products?q=${'日'.repeat(200)}`
    expect((await get(`/login?next=${encodeURIComponent(fits)}`, cookie)).headers.get('location')).toBe(fits.replace(/日/g, '%E6%97%A5'))
  })

  it('sends a form back to its page after the action (post/redirect/get), encoded, without a query too long to fit', async () => {
    const short = await postForm('/demo/notes?from=日本', { body: 'note from a Japanese address' })
    expect([short.status, short.headers.get('location')]).toEqual([303, '/demo/notes?from=%E6%97%A5%E6%9C%AC'])
    const long = await postForm(`/demo/notes?from=${'a'.repeat(3000)}`, { body: 'note from a long address' })
    expect([long.status, long.headers.get('location')]).toEqual([303, '/demo/notes'])
  })

  it('sends an anonymous visitor of a long admin address to log in without the part that does not fit', async () => {
    const res = await get(`/admin/products?q=${encodeURIComponent('日'.repeat(150))}`)
    expect([res.status, res.headers.get('location')]).toEqual([302, '/login?next=%2Fadmin%2Fproducts'])
    const short = await get('/admin/products?q=日本')
    expect(short.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/admin/products?q=%E6%97%A5%E6%9C%AC')}`)
  })
})

describe('malformed ids, pages and amounts are 400 or 404, never 500 (item 5)', () => {
  it('refuses a price that rounds to no cents (was a CHECK constraint 500) and keeps the form', async () => {
    const fields = { intent: 'save', name: 'Tiny Price', slug: '', description: '', price: '0.004', stock: '1', category: 'kitchen' }
    const res = await postForm('/admin/products/1', fields, admin)
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('Use whole cents: at most two decimals')
    expect(html).toContain('value="0.004"')
    const created = await postForm('/admin/products', { ...fields, price: '0.00' }, admin)
    expect(created.status).toBe(422)
    expect(await created.text()).toContain('The price must be above zero')
  })

  it('reads a price exactly: 0.29 is 29 cents', async () => {
    const res = await postForm(
      '/admin/products',
      { name: 'Exact Price Lamp', slug: '', description: '', price: '0.29', stock: '1', category: 'kitchen' },
      admin,
    )
    expect(res.status).toBe(303)
    const id = res.headers.get('location')!.split('/').pop()
    expect((await (await get(`/api/products/${id}`)).json()).priceCents).toBe(29)
  })

  it('answers an admin action on a path that is no id, or no product, with the 404 page (was an uncaught ZodError)', async () => {
    for (const [path, fields] of [
      ['/admin/products/abc', { intent: 'delete', confirm: 'on' }],
      ['/admin/products/1e1', { intent: 'delete', confirm: 'on' }],
      ['/admin/products/999999', { intent: 'delete', confirm: 'on' }],
      ['/admin/products/999999', { intent: 'adjust-stock', delta: '5' }],
    ] as const) {
      const res = await postForm(path, fields, admin)
      expect([path, fields.intent, res.status, isHtml(res)]).toEqual([path, fields.intent, 404, true])
    }
    expect((await get('/admin/products/abc', admin)).status).toBe(404)
  })

  it('answers a page number that is not a small whole number with a 400 page (was a SQLite datatype mismatch)', async () => {
    for (const path of [
      '/admin/products?page=1e308',
      '/admin/products?page=abc',
      '/products?page=1e1',
      '/products?page=0x10',
      '/orders?page=1e308',
      '/admin/orders?page=-1',
    ]) {
      const res = await get(path, admin)
      expect([path, res.status, isHtml(res)]).toEqual([path, 400, true])
      expect(await res.text()).toContain('There is no such page: pages are numbered from 1.')
    }
    // Deeper than any listing numbers its pages: what the page just past them gets (5c116a5).
    const deep = await get('/admin/orders?page=10001', admin)
    expect([deep.status, isHtml(deep)]).toEqual([400, true])
    expect(await deep.text()).toMatch(/Page numbers go up to \d+: follow the pagination/)
    expect((await get('/admin/products?page=2', admin)).status).toBe(200)
  })

  it('answers the same in the APIs with 400 and the issue', async () => {
    for (const path of ['/api/products?page=1e308', '/api/products?limit=0x10', '/api/orders?page=2.5']) {
      const res = await get(path, admin)
      const body = await res.json()
      expect([path, res.status, body.error.code, body.error.issues[0].path.length]).toEqual([path, 400, 'invalid_input', 1])
    }
  })

  it('answers the fixture domain a delay that is no number with a 400, not a timer overflow', async () => {
    expect((await get('/demo/slow?ms=1e308')).status).toBe(400)
    expect((await get('/demo/slow?ms=0')).status).toBe(200)
  })
})

describe('405 and 413 (item 6)', () => {
  it('answers a wrong method on a page with 405, Allow and the error page', async () => {
    for (const [method, path, allow] of [
      ['PUT', '/products', 'GET, HEAD'],
      ['DELETE', '/cart', 'GET, HEAD, POST'],
      ['POST', '/products/some-slug', 'GET, HEAD'],
    ]) {
      const res = await fetch(`${url}${path}`, { method, headers: from() })
      expect([method, path, res.status, res.headers.get('allow'), isHtml(res)]).toEqual([method, path, 405, allow, true])
      expect(await res.text()).toContain(`This address does not answer ${method} requests.`)
    }
  })

  it('answers a wrong method on an API with 405, Allow and the JSON error', async () => {
    for (const [method, path, allow] of [
      ['PUT', '/api/products', 'GET, HEAD, POST'],
      ['POST', '/api/products/7', 'GET, HEAD, PATCH, DELETE'],
      ['POST', '/api/auth/me', 'GET, HEAD'],
      ['GET', '/api/auth/login', 'POST'],
      ['HEAD', '/api/auth/login', 'POST'],
    ]) {
      const res = await fetch(`${url}${path}`, { method, headers: from() })
      expect([method, path, res.status, res.headers.get('allow')]).toEqual([method, path, 405, allow])
      if (method !== 'HEAD') expect(await res.json()).toEqual({ error: { code: 'method_not_allowed', message: 'This address does not answer that method.' } })
    }
  })

  it('still answers a path no route has with 404, whatever the method', async () => {
    for (const method of ['GET', 'POST', 'PUT']) {
      const res = await fetch(`${url}/no/such/page`, { method, headers: from() })
      expect([method, res.status, res.headers.get('allow')]).toEqual([method, 404, null])
    }
  })

  it('answers a body over the limit with the HTML error page on a page, JSON on an API', async () => {
    const big = new URLSearchParams({ body: 'x'.repeat(2 * 1024 * 1024) }).toString()
    const headers = { ...from(), 'Content-Type': 'application/x-www-form-urlencoded' }
    const page = await fetch(`${url}/demo/notes`, { method: 'POST', headers, body: big })
    expect([page.status, isHtml(page)]).toEqual([413, true])
    expect(await page.text()).toContain('That was more than this site accepts in one go.')
    const api = await fetch(`${url}/api/demo/notes`, {
      method: 'POST',
      headers: { ...from(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ body: 'x'.repeat(2 * 1024 * 1024) }),
    })
    expect(api.status).toBe(413)
    expect((await api.json()).error.code).toBe('payload_too_large')
  })

  it('reads an oversized body to its end before reusing the connection: the client still sending gets its 413, never a reset', async () => {
    // The answer comes before the body is sent; a server that hung up now would reset the upload
    // (a browser shows "connection reset", not the page) and never answer the next request.
    const { hostname, port } = new URL(url)
    const socket = connect(Number(port), hostname)
    let received = ''
    socket.on('data', (data) => (received += data))
    const until = (pattern: RegExp) => vi.waitFor(() => expect(received).toMatch(pattern), { timeout: 5000 })
    const body = `{"body":"${'x'.repeat(2 * 1024 * 1024)}"}`
    socket.write(`POST /api/demo/notes HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`)
    await until(/^HTTP\/1\.1 413 /)
    const failed = new Promise<Error>((resolve) => socket.once('error', resolve))
    socket.write(body)
    socket.write(`GET /healthz HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`)
    await Promise.race([until(/HTTP\/1\.1 200 [\s\S]*$/), failed.then((err) => expect.fail(`the connection broke: ${err.message}`))])
    socket.destroy()

    // One too large to be worth reading (100 MB): the connection closes after the answer.
    const huge = connect(Number(port), hostname)
    let answer = ''
    huge.on('data', (data) => (answer += data))
    huge.on('error', () => {})
    huge.write(`POST /api/demo/notes HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n{`)
    await vi.waitFor(() => expect(answer).toMatch(/^HTTP\/1\.1 413 [\s\S]*\r\nConnection: close\r\n/i), { timeout: 5000 })
    huge.destroy()
  })

  it('answers an HTTP/1.0 request without Host (a HAProxy health check), as Node refuses an HTTP/1.1 one', async () => {
    const { hostname, port } = new URL(url)
    const send = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), hostname)
        let received = ''
        socket.on('data', (data) => (received += data))
        socket.on('end', () => resolve(received))
        socket.on('error', reject)
        // Sent, not ended: a client that half-closes first is taken as gone (Node's default), and
        // a health check's answer that needs the database (PostgreSQL) came after that.
        socket.write(request)
      })
    const ready = await send('GET /readyz HTTP/1.0\r\n\r\n')
    expect(ready).toMatch(/^HTTP\/1\.1 200 /)
    expect(ready).toContain('"status":"ready"')
    expect(await send('GET /readyz HTTP/1.1\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /)
  })

  it('keeps the connection of a request refused on its headers alone, its body (under the limit) still coming a second later', async () => {
    // A client on a slow link is still sending when the answer comes. The adapter's own clean-up
    // hung up 0.5 s after the answer: the upload was reset (EPIPE) and the next request never sent.
    const { hostname, port } = new URL(url)
    const body = `{"body":"${'x'.repeat(300 * 1024)}"}`
    const refusals: [string, string, string][] = [
      ['401', 'POST /api/orders', ''], // signed out
      ['403', 'POST /api/cart/items', 'Origin: https://evil.example\r\n'], // another site's
      ['405', 'DELETE /api/products', ''], // a method the path does not answer
      ['413', 'POST /api/demo/notes', ''], // over BODY_LIMIT_BYTES: its rest is read and dropped too
    ]
    for (const [status, request, extra] of refusals) {
      const socket = connect(Number(port), hostname)
      let received = ''
      socket.on('data', (data) => (received += data))
      const failed = new Promise<Error>((resolve) => socket.once('error', resolve))
      const until = (pattern: RegExp) =>
        Promise.race([
          vi.waitFor(() => expect(received).toMatch(pattern), { timeout: 5000 }),
          failed.then((err) => expect.fail(`${request}: the connection broke: ${err.message}`)),
        ])
      const length = status === '413' ? 2 * 1024 * 1024 : body.length
      socket.write(`${request} HTTP/1.1\r\nHost: ${hostname}\r\n${extra}Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`)
      await until(new RegExp(`^HTTP/1\\.1 ${status} [\\s\\S]*\\r\\nConnection: keep-alive\\r\\n`, 'i'))
      await new Promise((resolve) => setTimeout(resolve, 1000))
      socket.write(status === '413' ? 'x'.repeat(length) : body)
      socket.write(`GET /healthz HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`)
      await until(/HTTP\/1\.1 200 [\s\S]*"status":"ok"/)
      socket.destroy()
    }
  })
})

describe('dot segments in a request target', () => {
  it("answers 400 rather than the route they resolve to: an API's answer under a page's address (web cache deception)", async () => {
    const { hostname, port } = new URL(url)
    // Written as sent: fetch() resolves dot segments before sending.
    const statusLine = (target: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), hostname)
        let received = ''
        socket.on('data', (data) => (received += data))
        socket.on('end', () => resolve(received.split('\r\n', 1)[0]!))
        socket.on('error', reject)
        socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`)
      })
    for (const target of [
      '/products/%2e%2e/api/products',
      '/products/../api/products',
      '/assets/../package.json',
      `http://${hostname}:${port}/products/%2E%2E/api/products`,
    ])
      expect([target, await statusLine(target)]).toEqual([target, 'HTTP/1.1 400 Bad Request'])
    expect(await statusLine('/products')).toBe('HTTP/1.1 200 OK')
  })
})

describe('image URLs (item 7)', () => {
  const product = (name: string, imageUrl: string) => ({ name, priceCents: 500, stock: 1, category: 'kitchen', imageUrl })

  it.each([
    'javascript:alert(document.cookie)',
    'data:image/svg+xml,<svg onload=alert(1)>',
    'file:///etc/passwd',
    'http://images.example/a.png',
    '//evil.example/a.png',
    '/\\evil.example/a.png',
  ])('refuses %s with a 400 on imageUrl', async (imageUrl) => {
    const res = await sendJson('POST', '/api/products', product(`Bad Image ${++addresses}`, imageUrl))
    const body = await res.json()
    expect([res.status, body.error.issues?.[0]?.path]).toEqual([400, ['imageUrl']])
    const patched = await sendJson('PATCH', '/api/products/1', { imageUrl })
    expect(patched.status).toBe(400)
  })

  it('accepts an https: URL and a path on this site', async () => {
    for (const imageUrl of ['https://images.example/lamp.png', '/images/lamp.png']) {
      const res = await sendJson('POST', '/api/products', product(`Good Image ${++addresses}`, imageUrl))
      expect(res.status).toBe(201)
      expect((await res.json()).product.imageUrl).toBe(imageUrl)
    }
  })
})

describe('numbers are decimal integers, JSON integers are integers (item 8)', () => {
  it('never reads 0x10 as 16 in a path: DELETE /api/products/0x10 deleted product 16', async () => {
    for (const id of ['0x10', '1e1', '16.0', '+16']) {
      const res = await fetch(`${url}/api/products/${id}`, { method: 'DELETE', headers: { ...from(), Cookie: admin } })
      expect([id, res.status]).toEqual([id, 400])
    }
    expect((await get('/api/products/16')).status).toBe(200)
    expect((await get('/api/products/10')).status).toBe(200)
  })

  it('refuses strings, arrays and fractions where JSON must hold an integer', async () => {
    const { cookie } = await customer()
    for (const body of [
      { productId: [7] },
      { productId: '7' },
      { productId: 7, quantity: '2' },
      { productId: 7, quantity: [2] },
      { productId: 7.5 },
      { productId: 7, quantity: 1e1 + 0.5 },
    ]) {
      const res = await sendJson('POST', '/api/cart/items', body, cookie)
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400])
    }
    expect((await sendJson('PATCH', '/api/products/1', { stock: '5' })).status).toBe(400)
    expect((await sendJson('POST', '/api/cart/items', { productId: 7, quantity: 2 }, cookie)).status).toBe(201)
  })

  it('refuses hex, exponents and repeats in form fields, with the field error', async () => {
    const { cookie } = await customer()
    for (const fields of [{ productId: '0x7' }, { productId: '7', quantity: '1e1' }, { productId: '7', quantity: '0x2' }] as Record<string, string>[]) {
      const res = await postForm('/cart', { intent: 'add', ...fields }, cookie)
      expect([JSON.stringify(fields), res.status]).toEqual([JSON.stringify(fields), 422])
    }
    const repeated = await fetch(`${url}/cart`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...from(), Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'intent=add&productId=7&quantity=7&quantity=7',
    })
    expect(repeated.status).toBe(422)
    expect((await (await get('/api/cart', cookie)).json()).count).toBe(0)
    const stock = await postForm('/admin/products/1', { intent: 'adjust-stock', delta: '1e1' }, admin)
    expect(stock.status).toBe(422)
    expect(await stock.text()).toContain('Enter a whole number, e.g. 10 or -3')
  })

  it('finds an order only by its decimal id: 5.0, 5e0 or 0x5 is not order 5', async () => {
    const { cookie } = await customer()
    expect((await sendJson('POST', '/api/cart/items', { productId: 7, quantity: 1 }, cookie)).status).toBe(201)
    const card = { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' }
    const placed = await sendJson(
      'POST',
      '/api/orders',
      { shipping: { name: 'Ada', line1: '1 Road', city: 'Town', postalCode: '12345', country: 'US' }, card },
      cookie,
    )
    expect(placed.status).toBe(201)
    const { id } = (await placed.json()).order
    expect((await get(`/orders/${id}`, cookie)).status).toBe(200)
    for (const other of [`${id}.0`, `${id}e0`, `0x${id.toString(16)}`, 'abc']) {
      expect([other, (await get(`/orders/${other}`, cookie)).status]).toEqual([other, 404])
      expect([other, (await get(`/api/orders/${other}`, cookie)).status]).toEqual([other, 400])
    }
  })
})

describe('no control characters in stored text (item 9)', () => {
  it('refuses NUL and other control characters in a product name, keeps line breaks in its description', async () => {
    for (const name of ['Bad\u0000Name', 'Bad\u001bName', 'Bad\nName', 'Bad\u0085Name']) {
      const res = await sendJson('PATCH', '/api/products/2', { name })
      const body = await res.json()
      expect([JSON.stringify(name), res.status, body.error.issues[0].path]).toEqual([JSON.stringify(name), 400, ['name']])
    }
    expect((await sendJson('PATCH', '/api/products/2', { description: 'bad\u0000text' })).status).toBe(400)
    const fine = await sendJson('PATCH', '/api/products/2', { description: 'Line one\nLine two\twith a tab' })
    expect(fine.status).toBe(200)
    expect((await fine.json()).product.description).toBe('Line one\nLine two\twith a tab')
  })

  it('refuses them in an admin form, a name at sign-up and in the account, an address and a note', async () => {
    const form = await postForm('/admin/products', { name: 'Nul\u0000Lamp', slug: '', description: '', price: '5', stock: '1', category: 'kitchen' }, admin)
    expect(form.status).toBe(422)
    expect(await form.text()).toContain('no control characters')

    const register = await fetch(`${url}/api/auth/register`, {
      method: 'POST',
      headers: { ...from(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: `nul-${Date.now()}@example.com`, name: 'Ada\u0000', password: 'long enough' }),
    })
    expect([register.status, (await register.json()).error.issues[0].path]).toEqual([400, ['name']])

    const { cookie } = await customer()
    expect((await postForm('/account', { intent: 'name', name: 'Ada\u0007' }, cookie)).status).toBe(422)

    const shipping = { name: 'Ada\u0000', line1: '1 Road', city: 'Town', postalCode: '12345', country: 'US' }
    const order = await sendJson('POST', '/api/orders', { shipping, card: { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' } }, cookie)
    const refused = await order.json()
    expect([order.status, refused.error.code, refused.error.issues[0].path]).toEqual([400, 'invalid_input', ['shipping', 'name']])

    const note = await sendJson('POST', '/api/demo/notes', { body: 'a\u0000b' })
    expect(note.status).toBe(400)
    expect((await (await get('/api/demo/notes')).json()).notes.some((n: { body: string }) => n.body.includes('\u0000'))).toBe(false)
  })
})
