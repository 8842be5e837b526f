import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDialect } from '#shared/db'
import { createTestApp } from './support/test-app.ts'
import { logIn } from './support/sessions.ts'

/**
 * Every state-changing route in the app's route table (API handlers and page actions of every
 * domain, the fixtures included), asked as a cross-site browser would ask it. The cases come from
 * `app.routes`, so a route added tomorrow is covered without editing this file.
 */
let testApp: Awaited<ReturnType<typeof createTestApp>>
let admin: string
const SELF = 'http://localhost'

beforeAll(async () => {
  testApp = await createTestApp({ ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'admin password' })
  admin = await logIn(SELF, { email: 'admin@example.com', password: 'admin password' }, { send: testApp.app.request })
})
afterAll(() => testApp.close())

const FORM = 'application/x-www-form-urlencoded'
const bodies: Record<string, string> = {
  [FORM]: 'intent=delete&name=x&quantity=1',
  'multipart/form-data; boundary=b': '--b\r\nContent-Disposition: form-data; name="intent"\r\n\r\ndelete\r\n--b--\r\n',
  'text/plain': 'intent=delete',
  'application/json': '{"name":"x","quantity":1}',
}

/** What a cross-site page can make a browser send: each must be refused. */
const crossSite: { name: string; type: string; headers: Record<string, string> }[] = [
  ...Object.keys(bodies).flatMap((type) => [
    { name: `${type}, foreign Origin`, type, headers: { Origin: 'https://evil.example' } },
    { name: `${type}, Origin: null`, type, headers: { Origin: 'null' } },
    { name: `${type}, Sec-Fetch-Site: cross-site`, type, headers: { 'Sec-Fetch-Site': 'cross-site' } },
    { name: `${type}, foreign Origin claiming same-origin`, type, headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' } },
  ]),
  // An HTML form's content types need a same-origin Origin: a browser always sends one.
  ...Object.keys(bodies)
    .filter((type) => type !== 'application/json')
    .map((type) => ({ name: `${type}, no Origin`, type, headers: {} })),
]

/** `/api/products/:id` → `/api/products/1`: any value reaches the route (and its guards). */
const concrete = (path: string) => path.replace(/:[^/{]+(\{[^}]*\})?\??/g, '1').replace(/\*/g, 'x')

function stateChangingRoutes(): { method: string; path: string }[] {
  const seen = new Set<string>()
  return testApp.app.routes
    .filter((route) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method))
    .map((route) => ({ method: route.method, path: concrete(route.path) }))
    .filter(({ method, path }) => !seen.has(`${method} ${path}`) && seen.add(`${method} ${path}`))
}

/** Every row of every table: equal before and after means nothing changed. */
async function snapshot(): Promise<string> {
  // Kysely reads the tables of either dialect; on PostgreSQL, of this test's schema only.
  const schema = testDialect === 'postgres' ? (await sql<{ name: string }>`select current_schema() as name`.execute(testApp.db)).rows[0]!.name : undefined
  const tables = (await testApp.db.introspection.getTables({ withInternalKyselyTables: true }))
    .filter((table) => table.schema === schema)
    .map((table) => table.name)
    .sort()
  const contents = await Promise.all(tables.map(async (name) => [name, (await sql`select * from ${sql.table(name)} order by 1`.execute(testApp.db)).rows]))
  return JSON.stringify(contents, (_, value) => (typeof value === 'bigint' ? String(value) : value))
}

function send(route: { method: string; path: string }, type: string, headers: Record<string, string>) {
  return testApp.app.request(`${SELF}${route.path}`, { method: route.method, headers: { ...headers, 'Content-Type': type, Cookie: admin }, body: bodies[type] })
}

describe('cross-site requests to every state-changing route', () => {
  it('covers the API and the page actions of every domain', () => {
    const paths = stateChangingRoutes().map((route) => `${route.method} ${route.path}`)
    for (const expected of [
      'POST /api/orders',
      'POST /checkout',
      'POST /cart',
      'POST /api/products',
      'DELETE /api/products/1',
      'POST /admin/products/1',
      'POST /account',
      'POST /logout',
      'POST /demo/notes',
    ]) {
      expect(paths).toContain(expected)
    }
  })

  it('refuses each with 403, and changes nothing', async () => {
    const before = await snapshot()
    const failures: string[] = []
    for (const route of stateChangingRoutes()) {
      for (const { name, type, headers } of crossSite) {
        const res = await send(route, type, headers)
        if (res.status !== 403) failures.push(`${route.method} ${route.path} (${name}): ${res.status}`)
        else if (route.path.startsWith('/api/')) expect((await res.json()).error.code, `${route.method} ${route.path} (${name})`).toBe('cross_site_request')
      }
    }
    expect(failures).toEqual([])
    expect(await snapshot()).toBe(before)
  })

  it('lets the same requests through from the site itself (the refusal above was the guard)', async () => {
    // Signing out last: the routes after it would see no session.
    const routes = stateChangingRoutes().sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')))
    for (const route of routes) {
      const type = route.path.startsWith('/api/') ? 'application/json' : FORM
      const res = await send(route, type, { Origin: SELF, 'Sec-Fetch-Site': 'same-origin' })
      expect(res.status, `${route.method} ${route.path}`).not.toBe(403)
    }
  })

  it('lets API clients that are not browsers (no Origin, no Sec-Fetch-Site) send JSON', async () => {
    const res = await testApp.app.request(`${SELF}/api/cart/items`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ productId: 5, quantity: 1 }),
    })
    expect(res.status).toBe(201)
  })
})
