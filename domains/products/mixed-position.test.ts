import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../tests/support/test-app.ts'

/*
 * A listing's URL names its page one way: a number (`page`, or `last`), or a position (`after`,
 * `before`). Both `after` and `before` were refused (400) while `page` with either was read one
 * way in silence (the cursor won): an edited or mis-built link showed a page other than it named.
 * Now all three mixes are refused alike, by the API (the standard error body) and the page (the
 * error page, 400, as `after` with `before`).
 */

let testApp: Awaited<ReturnType<typeof createTestApp>>
let cursor: string
beforeAll(async () => {
  testApp = await createTestApp()
  const first = (await (await testApp.app.request('/api/products')).json()) as { links: { next: { after: string } } }
  cursor = first.links.next.after
})
afterAll(() => testApp.close())

const get = (path: string) => testApp.app.request(`http://localhost${path}`)

describe('a listing URL naming its page twice', () => {
  it.each([
    ['after', 'page=2'],
    ['after', 'page=1'],
    ['after', 'page=last'],
    ['before', 'page=2'],
  ])('the API answers 400 invalid_query naming page, for %s with %s', async (position, page) => {
    const res = await get(`/api/products?${position}=${cursor}&${page}`)
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; message: string; issues: { path: string[] }[] } }
    expect(body.error.code).toBe('invalid_query')
    expect(body.error.issues.map((issue) => issue.path)).toEqual([['page']])
  })

  it('the page answers as it does for after with before: the 400 error page', async () => {
    const both = await get(`/products?after=${cursor}&before=${cursor}`)
    const mixed = await get(`/products?after=${cursor}&page=2`)
    expect(both.status).toBe(400)
    expect(mixed.status).toBe(400)
    expect(mixed.headers.get('content-type')).toMatch(/text\/html/)
    expect(await mixed.text()).toContain('follow the pagination')
  })

  it('orders too: the API and the page', async () => {
    const register = await testApp.app.request('http://localhost/api/auth/register', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: `mixed-${Date.now()}@example.com`, name: 'M', password: 'a long password' }),
    })
    const cookie = register.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ')
    const api = await testApp.app.request('http://localhost/api/orders?after=1_1&page=1', { headers: { Cookie: cookie } })
    expect(api.status).toBe(400)
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('invalid_query')
    expect((await testApp.app.request('http://localhost/orders?before=1_1&page=last', { headers: { Cookie: cookie } })).status).toBe(400)
  })

  it('each alone still works, and no page number is the first page', async () => {
    expect((await get(`/api/products?after=${cursor}`)).status).toBe(200)
    expect((await get('/api/products?page=2')).status).toBe(200)
    expect(((await (await get('/api/products')).json()) as { page: number }).page).toBe(1)
    expect((await get(`/products?after=${cursor}`)).status).toBe(200)
  })
})
