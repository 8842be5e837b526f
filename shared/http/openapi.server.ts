import type { Hono } from 'hono'
import type { z } from 'zod'
import { apiErrorSchema } from './api-error.ts'
import { SESSION_COOKIE } from './cookies.server.ts'
import { SchemaComponents, type JsonSchema } from './openapi-schemas.server.ts'
import { operationOf, type OperationSpec } from './operation.ts'

interface Parameter {
  name: string
  in: 'path' | 'query' | 'header'
  required: boolean
  description?: string
  schema: JsonSchema
}
type Json = { 'application/json': { schema: JsonSchema } }
interface Operation {
  operationId: string
  summary: string
  description?: string
  tags: string[]
  security: Record<string, string[]>[]
  parameters?: Parameter[]
  requestBody?: { required: true; content: Json }
  responses: Record<string, { description: string; content?: Json; headers?: Headers }>
}
type Headers = Record<string, { description: string; schema: JsonSchema }>
export interface OpenApiDocument {
  openapi: '3.1.0'
  info: { title: string; version: string; description: string }
  servers: { url: string; description: string }[]
  tags: { name: string; description: string }[]
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> }
}

export interface OpenApiOptions {
  title: string
  version: string
  /** Where clients reach the API (PUBLIC_URL); absent: the server the document came from. */
  publicUrl?: string
  /** The session cookie's name as this server sets it (ownCookieName: `__Host-` first when Secure). */
  sessionCookie?: string
  /** A line on each API (the tag), by its name under /api. */
  apis?: Record<string, string>
}

const SUCCESS: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' }
/** Routes under /api that are not operations: the document itself. */
const NOT_OPERATIONS = new Set(['/api/openapi.json'])

/** Every `/api/<name>/…` route (not a proxied `*`) that has no `operation()`: the contract tests expect none. */
export function undocumentedRoutes(app: { routes: Hono['routes'] }): string[] {
  return app.routes
    .filter((route) => route.path.startsWith('/api/') && route.method !== 'ALL' && !route.path.endsWith('*') && !NOT_OPERATIONS.has(route.path))
    .filter((route) => !app.routes.some((other) => other.method === route.method && other.path === route.path && operationOf(other.handler)))
    .map((route) => `${route.method} ${route.path}`)
}

/**
 * The OpenAPI 3.1 document of every `/api/*` operation, built from the specs `operation()` left on
 * the routes (their zod schemas validate the requests and type the handlers' answers): the API
 * and its description cannot drift.
 */
export function openApiDocument(app: { routes: Hono['routes'] }, options: OpenApiOptions): OpenApiDocument {
  const components = new SchemaComponents()
  const errorBody = { 'application/json': { schema: components.toJsonSchema(apiErrorSchema, 'output') } }
  const paths: OpenApiDocument['paths'] = {}
  const ids = new Set<string>()
  for (const route of app.routes) {
    const spec = operationOf(route.handler)
    if (!spec || !route.path.startsWith('/api/')) continue
    const api = route.path.split('/')[2]!
    if (!spec.id.startsWith(`${api}.`)) throw new Error(`${route.method} ${route.path}: its operation id "${spec.id}" must start with "${api}."`)
    if (ids.has(spec.id)) throw new Error(`Two operations are named "${spec.id}"`)
    ids.add(spec.id)
    const path = route.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')
    ;(paths[path] ??= {})[route.method.toLowerCase()] = describeOperation(spec, route.method, api, components, errorBody)
  }
  const tags = [...new Set(Object.values(paths).flatMap((methods) => Object.values(methods).flatMap((operation) => operation.tags)))]
  return {
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: options.version,
      description:
        'The JSON API of the store. Errors answer `ApiError`. A request with a body (or a DELETE or bodyless POST) from outside a browser sends `Content-Type: application/json` or an `Origin` header of this site, else it is refused as cross-site (403). Compatibility: docs/api.md.',
    },
    servers: [options.publicUrl ? { url: options.publicUrl, description: 'This store' } : { url: '/', description: 'The server that served this document' }],
    tags: tags.sort().map((name) => ({ name, description: options.apis?.[name] ?? `The /api/${name} operations.` })),
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: options.sessionCookie ?? SESSION_COOKIE,
          description: 'The session cookie set by `auth.register` and `auth.login` (HttpOnly, 30 days, sliding).',
        },
      },
    },
  }
}

function describeOperation(spec: OperationSpec, method: string, api: string, components: SchemaComponents, errorBody: Json): Operation {
  const parameters = [
    ...parametersOf(spec.params, 'path', components),
    ...parametersOf(spec.query, 'query', components),
    ...parametersOf(spec.headers, 'header', components),
  ]
  const responses: Operation['responses'] = {}
  // Every GET answer is tagged (apiEtags): a client that sends the tag back gets a 304.
  const reads = method === 'GET'
  const successHeaders = headersOf({ ...(reads ? { ETag: ETAG } : {}), ...spec.replyHeaders })
  const changes = method !== 'GET' && method !== 'HEAD'
  // The cross-site guard refuses any state-changing request that does not show it comes from this site.
  const crossSite = 'Sent as from another site: `cross_site_request` (send `Content-Type: application/json` or this site’s `Origin`).'
  for (const [status, declared] of Object.entries(spec.responses)) {
    if (typeof declared === 'string') {
      // A 403 the route declares (not the buyer, say) does not hide the guard's; an answer said to come
      // `with Retry-After` declares the header.
      const description = status === '403' && changes ? `${declared}. Or: ${crossSite}` : declared
      const retry = status === '429' || declared.includes('`Retry-After`')
      responses[status] = { description, content: errorBody, ...(retry ? { headers: RETRY_AFTER } : {}) }
    } else
      responses[status] = {
        description: SUCCESS[Number(status)]!,
        ...(declared ? { content: { 'application/json': { schema: components.toJsonSchema(declared, 'output') } } } : {}),
        ...(successHeaders ? { headers: successHeaders } : {}),
      }
  }
  if (reads) responses['304'] = { description: 'Not modified: `If-None-Match` named the current `ETag`; no body.', headers: headersOf({ ETag: ETAG })! }
  const error = (description: string) => ({ description, content: errorBody })
  if (parameters.length > 0 || spec.json) responses['400'] ??= error('The input is not valid: `invalid_input`, with `issues` naming each field.')
  if (spec.json) responses['415'] ??= error('The body is not JSON: `unsupported_media_type` (send `Content-Type: application/json`, UTF-8, uncompressed).')
  if (spec.access) responses['401'] ??= error('Not signed in: `unauthorized`.')
  if (spec.access === 'admin') responses['403'] ??= error(`Signed in, but not as an admin: \`forbidden\`.${changes ? ` ${crossSite}` : ''}`)
  if (changes) responses['403'] ??= error(crossSite)
  responses.default = {
    ...error(
      'Any other error, e.g. 405 for a method the path does not take (with `Allow`), 413 for a body too large, 429 when rate-limited, 503 `database_unavailable` while the database cannot be reached (both with `Retry-After`).',
    ),
    headers: RETRY_AFTER,
  }
  const access = { 'signed-in': 'Needs a signed-in user (the session cookie).', admin: 'Admins only: a signed-in customer gets 403.' }
  return {
    operationId: spec.id,
    summary: spec.summary,
    ...(spec.description || spec.access ? { description: [spec.description, spec.access && access[spec.access]].filter(Boolean).join('\n\n') } : {}),
    tags: [api],
    security: spec.access ? [{ session: [] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(spec.json
      ? { requestBody: { required: true as const, content: { 'application/json': { schema: components.toJsonSchema(spec.json, 'input') } } } }
      : {}),
    responses,
  }
}

const ETAG = 'The answer’s version: send it back in `If-None-Match` to get a 304 while it is unchanged.'
const RETRY_AFTER = headersOf({ 'Retry-After': 'Seconds to wait before trying again.' })

/** Response headers by name, each a string described. */
function headersOf(described: Record<string, string>): Headers | undefined {
  const entries = Object.entries(described)
  if (entries.length === 0) return undefined
  return Object.fromEntries(entries.map(([name, description]) => [name, { description, schema: { type: 'string' } }]))
}

function parametersOf(schema: z.ZodType | undefined, where: Parameter['in'], components: SchemaComponents): Parameter[] {
  if (!schema) return []
  const object = components.toJsonSchema(schema, 'input')
  const required = new Set((object.required ?? []) as string[])
  return Object.entries((object.properties ?? {}) as Record<string, JsonSchema>).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof description === 'string' ? { description } : {}),
    schema: property,
  }))
}
