import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { afterAll, describe, expect, it } from 'vitest'
import { serveOnSocket } from '../../tests/support/http.ts'
import { securityHeaders } from './security-headers.server.ts'

const headersOf = (res: Response) => Object.fromEntries([...res.headers].filter(([name]) => name !== 'content-type' && name !== 'content-length'))

const closers: (() => Promise<void>)[] = []
afterAll(() => Promise.all(closers.map((close) => close())))

/** The app through a real socket, as production runs it (Node's response, not app.request()). */
async function overSocket(app: Hono, path: string): Promise<Response> {
  const { url, close } = await serveOnSocket(app.fetch)
  closers.push(close)
  return fetch(url + path)
}

function appWith(middleware: ReturnType<typeof securityHeaders>): Hono {
  return new Hono()
    .use(middleware)
    .get('/', (c) => c.text('ok'))
    .get('/own-csp', (c) => c.text('ok', 200, { 'Content-Security-Policy': "default-src 'none'" }))
}

describe('securityHeaders', () => {
  // Written out once instead of calling Hono's per request: this pins them to Hono's, so an
  // upgrade that changes a default fails here instead of drifting silently.
  it("are Hono's secureHeaders() defaults but the two decided otherwise, plus the CSP", async () => {
    const hono = headersOf(await appWith(secureHeaders()).request('/'))
    const ours = headersOf(await appWith(securityHeaders({ dev: false })).request('/'))
    const { 'content-security-policy': csp, ...rest } = ours
    expect(rest).toEqual({
      ...hono,
      'x-frame-options': 'DENY', // as the CSP's frame-ancestors 'none' says (decision 008)
      'referrer-policy': 'same-origin', // no-referrer makes a no-JS form post send Origin: null
    })
    expect(csp).toMatch(
      /^default-src 'self'; script-src 'self'; style-src 'self' 'sha256-[A-Za-z0-9+/]+=*'; img-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'$/,
    )
  })

  it("allow the pages' inline stylesheets by hash, but not in dev, where 'unsafe-inline' must work", async () => {
    const styleSources = "'sha256-abc=' 'sha256-def='"
    const csp = async (dev: boolean) => (await appWith(securityHeaders({ dev, styleSources })).request('/')).headers.get('content-security-policy')
    expect(await csp(false)).toMatch(/; style-src 'self' 'sha256-[A-Za-z0-9+/]+=*' 'sha256-abc=' 'sha256-def='; /)
    expect(await csp(true)).toMatch(/; style-src 'self' 'unsafe-inline'; /)
  })

  it('give way to a header the route set itself, in app.request() as through a socket', async () => {
    const app = appWith(securityHeaders({ dev: false }))
    for (const res of [await app.request('/own-csp'), await overSocket(app, '/own-csp')]) {
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'")
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    }
  })

  it('are the same headers in app.request() and through a socket', async () => {
    const app = appWith(securityHeaders({ dev: false }))
    const inProcess = headersOf(await app.request('/'))
    const socket = headersOf(await overSocket(app, '/'))
    for (const name of ['date', 'connection', 'keep-alive']) delete socket[name]
    expect(socket).toEqual(inProcess)
  })
})
