import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { undocumentedRoutes, type OpenApiDocument } from '#shared/http'
import { loadDomains } from '../entry-server.tsx'
import { createTestApp } from './support/test-app.ts'

/** The API's contract as a client reads it: /api/openapi.json. Each answer itself is checked by checkApiResponses (NODE_ENV=test). */
let testApp: Awaited<ReturnType<typeof createTestApp>>
let doc: OpenApiDocument
let customer: string

const request = (path: string, init: RequestInit = {}) => testApp.app.request(`http://localhost${path}`, init)
const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
  )

beforeAll(async () => {
  testApp = await createTestApp({ PUBLIC_URL: 'https://shop.example' })
  doc = await (await request('/api/openapi.json')).json()
  const registered = await request('/api/auth/register', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'contract@example.com', name: 'C', password: 'long enough' }),
  })
  customer = registered.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith('tessera_session='))!
    .split(';')[0]!
})
afterAll(() => testApp.close())

describe('the API contract', () => {
  it('covers every /api route: each declares its operation', () => {
    expect(undocumentedRoutes(testApp.app)).toEqual([])
    expect(operations().length).toBeGreaterThanOrEqual(19)
  })

  it('names each operation <api>.<verb>, once, with a summary, its tag, a 2xx and the error body', () => {
    const ids = operations().map(({ operation }) => operation.operationId)
    expect(new Set(ids).size).toBe(ids.length)
    for (const { path, operation } of operations()) {
      expect(operation.operationId).toMatch(new RegExp(`^${operation.tags[0]}\\.[a-z][a-zA-Z]+$`))
      expect(path.startsWith(`/api/${operation.tags[0]}`)).toBe(true)
      expect(operation.summary).not.toBe('')
      expect(Object.keys(operation.responses).some((status) => status.startsWith('2'))).toBe(true)
      expect(operation.responses.default!.content!['application/json'].schema).toEqual({ $ref: '#/components/schemas/ApiError' })
    }
  })

  it('describes each API (tag) in its domain’s own words, and the cross-site refusal on every change', async () => {
    // A tag per mounted API with operations (a remote domain's proxy has none), whatever domains there are.
    const tags = doc.tags.map((tag) => tag.name)
    expect(tags).toEqual(expect.arrayContaining(['auth', 'cart', 'dashboard', 'orders', 'products']))
    expect((await loadDomains()).flatMap((domain) => Object.keys(domain.apis))).toEqual(expect.arrayContaining(tags))
    for (const tag of doc.tags) expect(tag.description).not.toMatch(/^The \/api\//) // the fallback
    for (const { method, operation } of operations()) {
      if (method !== 'GET')
        expect([operation.operationId, operation.responses['403']?.description]).toEqual([operation.operationId, expect.stringContaining('cross_site_request')])
    }
  })

  it('declares the headers and statuses every answer of a kind has: ETag and 304 on reads, 415 for a body, Retry-After on 429', () => {
    for (const { method, operation } of operations()) {
      const { responses } = operation
      if (method === 'GET') {
        expect([operation.operationId, responses['200']?.headers?.ETag, responses['304']]).toEqual([
          operation.operationId,
          expect.anything(),
          expect.anything(),
        ])
      }
      if (operation.requestBody)
        expect([operation.operationId, responses['415']?.description]).toEqual([operation.operationId, expect.stringContaining('unsupported_media_type')])
      if (responses['429']) expect(responses['429'].headers?.['Retry-After']).toBeDefined()
    }
    expect(doc.paths['/api/orders']!.post!.responses['201']!.headers).toEqual({
      'Idempotent-Replayed': expect.objectContaining({ schema: { type: 'string' } }),
    })
    expect(doc.paths['/api/products']!.get!.responses['400']!.description).toContain('invalid_query')
    // A number in a URL is an integer to a client (its range and default said), as a listing's links give it.
    const parameter = (path: string, name: string) => doc.paths[path]!.get!.parameters!.find((parameter) => parameter.name === name)!.schema
    expect(parameter('/api/products', 'limit')).toEqual({ type: 'integer', minimum: 1, maximum: 100, default: 24 })
    expect(parameter('/api/orders', 'page')).toEqual({
      anyOf: [
        { type: 'string', const: 'last' },
        { type: 'integer', minimum: 1, maximum: 20 },
      ],
      default: 1,
    })
    expect(parameter('/api/orders/{id}', 'id')).toEqual({ type: 'integer', minimum: 1, maximum: 2_147_483_647 })
  })

  it('refuses in its schemas what the server refuses, so a client checking them sends nothing refused', async () => {
    type StringSchema = { pattern?: string; allOf?: { pattern: string }[] }
    const patterns = (schema: StringSchema) => [schema.pattern, ...(schema.allOf ?? []).map((part) => part.pattern)].filter((p): p is string => Boolean(p))
    const allows = (schema: StringSchema, value: string) => patterns(schema).every((pattern) => new RegExp(pattern, 'u').test(value))
    // A product read by id or slug: digits alone are an id, so 0 or past the range is no slug either.
    const idOrSlug = doc.paths['/api/products/{id}']!.get!.parameters![0]!.schema as { anyOf: [unknown, StringSchema] }
    for (const id of ['0', '2147483648']) {
      expect([id, allows(idOrSlug.anyOf[1], id)]).toEqual([id, false])
      expect((await request(`/api/products/${id}`)).status).toBe(400)
    }
    expect(allows(idOrSlug.anyOf[1], 'stoneware-mug')).toBe(true)
    const create = doc.paths['/api/products']!.post!.requestBody!.content['application/json']!.schema as {
      $ref?: string
      properties?: Record<string, StringSchema>
    }
    expect(allows(create.properties!.slug!, '12345')).toBe(false)
    expect(allows(create.properties!.slug!, '1984-item')).toBe(true)
    const patch = doc.paths['/api/products/{id}']!.patch!.requestBody!.content['application/json']!.schema as { minProperties?: number }
    expect(patch.minProperties).toBe(1) // {} changes nothing: refused
    // An answer that comes with Retry-After says so.
    expect(doc.paths['/api/orders']!.post!.responses['409']!.headers?.['Retry-After']).toBeDefined()
  })

  it('serves its clients from PUBLIC_URL, and describes the session cookie', () => {
    expect(doc.servers).toEqual([{ url: 'https://shop.example', description: expect.any(String) }])
    expect(doc.components.securitySchemes.session).toEqual(expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'tessera_session' }))
    expect(doc.paths['/api/orders']!.get!.security).toEqual([{ session: [] }])
    expect(doc.paths['/api/products/{id}']!.delete!.description).toMatch(/Admins only/)
    expect(doc.paths['/api/products']!.get!.security).toEqual([])
  })

  it('says which operations need a session, truly: without one exactly those answer 401, and only admin ones 403 to a customer', async () => {
    for (const { path, method, operation } of operations()) {
      const url = path.replace(/\{\w+\}/g, '1')
      const init = (cookie?: string): RequestInit => ({
        method,
        headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
        body: method === 'GET' ? undefined : '{}',
      })
      const anonymous = await request(url, init())
      expect([operation.operationId, anonymous.status === 401]).toEqual([operation.operationId, operation.security.length > 0])
      if (operation.operationId === 'auth.logout') continue // it would end the customer's session
      const asCustomer = await request(url, init(customer))
      const adminOnly = /Admins only/.test(operation.description ?? '')
      expect([operation.operationId, asCustomer.status === 403, asCustomer.status]).toEqual([operation.operationId, adminOnly, asCustomer.status])
    }
  })

  it('lints clean with Redocly’s recommended rules, every example valid against its schema: no errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-openapi-'))
    try {
      await writeFile(join(dir, 'openapi.json'), JSON.stringify(doc))
      // The components' examples (Product, Order, User, ApiError: shown on /api-docs) must fit their schemas.
      await writeFile(
        join(dir, 'redocly.yaml'),
        'extends:\n  - recommended\nrules:\n  no-invalid-schema-examples: error\n  no-invalid-media-type-examples: error\n',
      )
      const lint = await promisify(execFile)(
        'node_modules/.bin/redocly',
        ['lint', join(dir, 'openapi.json'), '--config', join(dir, 'redocly.yaml'), '--format', 'json'],
        {
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      ).catch((err: { stdout: string }) => err)
      const problems = (JSON.parse(lint.stdout) as { problems: { severity: string; ruleId: string; message: string }[] }).problems
      expect(problems.filter((problem) => problem.severity === 'error')).toEqual([])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 30_000)

  it('shows each operation’s responses and the shared shapes on /api-docs', async () => {
    const html = await (await request('/api-docs')).text()
    expect(html).toContain('<code>POST /api/orders/{id}/cancel</code>')
    expect(html).toContain('orders.cancel')
    expect(html).toContain('id="schema-Order"')
    expect(html).toContain('&quot;$ref&quot;: &quot;#/components/schemas/ApiError&quot;')
    // An example beside each body: the component's own where it has one, else one made from the schema.
    expect(html).toContain('<pre class="api-example">')
    expect(html).toContain('&quot;slug&quot;: &quot;stoneware-mug&quot;')
    expect(html).toContain('&quot;code&quot;: &quot;invalid_input&quot;')
    expect(html.match(/class="api-example"/g)!.length).toBeGreaterThan(doc && Object.keys(doc.paths).length)
  })
})
