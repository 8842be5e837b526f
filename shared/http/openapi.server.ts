import type { Hono } from 'hono'
import { z } from 'zod'
import { VALIDATES, type Validates } from './validate.ts'

type Schema = Record<string, unknown>
interface Operation {
  tags: string[]
  parameters: { name: string; in: 'path' | 'query'; required: boolean; schema: Schema }[]
  requestBody?: { required: true; content: { 'application/json': { schema: Schema } } }
  responses: Record<string, { description: string; content?: { 'application/json': { schema: Schema } } }>
}

const errorBody: Schema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, issues: { type: 'array', items: { type: 'object' } } },
    },
  },
}

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema

/**
 * An OpenAPI 3.1 document of every `/api/*` route, built from the app's routes and the zod
 * schemas their `validate()` middleware already holds: the API and its description cannot drift.
 */
export function openApiDocument(app: { routes: Hono['routes'] }, info: { title: string; version: string }) {
  const paths: Record<string, Record<string, Operation>> = {}
  for (const route of app.routes) {
    if (!route.path.startsWith('/api/') || route.method === 'ALL' || route.path.endsWith('*')) continue
    const path = route.path.replace(/:(\w+)/g, '{$1}')
    const method = route.method.toLowerCase()
    const operation = ((paths[path] ??= {})[method] ??= {
      tags: [route.path.split('/')[2] ?? 'api'],
      parameters: [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name: name!, in: 'path' as const, required: true, schema: { type: 'string' } })),
      responses: { '2XX': { description: 'Success' }, '4XX': { description: 'A client error', content: { 'application/json': { schema: errorBody } } } },
    })
    const validates = (route.handler as unknown as { [VALIDATES]?: Validates })[VALIDATES]
    if (!validates) continue
    const schema = jsonSchema(validates.schema)
    if (validates.target === 'json') operation.requestBody = { required: true, content: { 'application/json': { schema } } }
    if (validates.target === 'query' || validates.target === 'param') {
      const where: 'query' | 'path' = validates.target === 'query' ? 'query' : 'path'
      const properties = (schema.properties ?? {}) as Record<string, Schema>
      const required = new Set((schema.required ?? []) as string[])
      operation.parameters = [
        ...operation.parameters.filter((parameter) => !(parameter.in === where && parameter.name in properties)),
        ...Object.entries(properties).map(([name, property]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: property })),
      ]
    }
  }
  return { openapi: '3.1.0', info, paths }
}
