import type { MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import { isDeepStrictEqual } from 'node:util'
import { apiErrorSchema } from './api-error.ts'
import { operationOf, type OperationSpec } from './operation.ts'

/**
 * Checks every `/api` answer against the contract its route declared with `operation()`: a status
 * it declares (errors may be any status, in the `ApiError` body), a body its schema accepts, and no
 * field the schema does not name. A breach becomes a 500 `contract_violation` saying what differs,
 * so a test that exercises the route fails, and `report` (stderr by default) says it. For tests:
 * mounted when NODE_ENV is `test`.
 * @example app.use('/api/*', checkApiResponses())
 */
export function checkApiResponses({ report = console.error }: { report?: (message: string) => void } = {}): MiddlewareHandler {
  return async function checkApiResponses(c, next) {
    await next()
    if (c.req.method === 'HEAD' || c.res.status === 304) return
    const spec = matchedRoutes(c)
      .map((route) => operationOf(route.handler))
      .find(Boolean)
    const problem = await contractProblem(spec, c.res.clone())
    if (!problem) return
    const message = `${c.req.method} ${c.req.path} answered ${c.res.status} against its contract${spec ? ` (${spec.id})` : ''}: ${problem}`
    report(message)
    c.res = new Response(JSON.stringify({ error: { code: 'contract_violation', message } }), { status: 500, headers: { 'Content-Type': 'application/json' } })
  }
}

/** What is wrong with this answer, or undefined. */
export async function contractProblem(spec: OperationSpec | undefined, res: Response): Promise<string | undefined> {
  const declared = spec?.responses[res.status as keyof OperationSpec['responses']]
  if (res.status >= 400) return bodyProblem(apiErrorSchema, res)
  if (!spec) return undefined // not an operation: the document itself
  if (declared === undefined) return `status ${res.status} is not declared`
  if (declared === null) return (await res.text()) === '' ? undefined : 'a body where none is declared'
  if (typeof declared === 'string') return undefined
  return bodyProblem(declared, res)
}

async function bodyProblem(schema: typeof apiErrorSchema | NonNullable<OperationSpec['json']>, res: Response): Promise<string | undefined> {
  if (!res.headers.get('Content-Type')?.startsWith('application/json')) return `not JSON (${res.headers.get('Content-Type') ?? 'no Content-Type'})`
  const body: unknown = await res.json()
  const parsed = schema.safeParse(body)
  if (!parsed.success) return parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ')
  // zod drops keys its objects do not name: any difference is a field the contract does not declare.
  if (!isDeepStrictEqual(parsed.data, body)) return `fields the schema does not declare: ${JSON.stringify(body).slice(0, 300)}`
  return undefined
}
