import type { Context, Handler, Input, MiddlewareHandler, TypedResponse, ValidationTargets } from 'hono'
import type { z } from 'zod'
import type { AppEnv } from './app-env.ts'
import { HttpError } from './errors.ts'
import { validate } from './validate.ts'

type SuccessStatus = 200 | 201 | 202 | 204
type ErrorStatus = 400 | 401 | 402 | 403 | 404 | 409 | 410 | 422 | 429 | 503

/**
 * What an operation answers, per status: a success is the zod schema of its JSON body (null: no
 * body), an error is a description (its body is always the shared error body, `ApiError`).
 */
export type Responses = { [S in SuccessStatus]?: z.ZodType | null } & { [S in ErrorStatus]?: string }

/** Who may call an operation: anyone (absent), a signed-in user, or an admin. */
export type Access = 'signed-in' | 'admin'

export interface OperationSpec {
  /** Stable and unique: `<api>.<verb>`, e.g. `orders.cancel`. Generated clients name their methods after it. */
  id: `${string}.${string}`
  summary: string
  description?: string
  /**
   * Who may call it, checked before the input is read (401 `unauthorized`, 403 `forbidden`) through
   * the app's `identify()` (the auth domain's session), and documented with the session cookie.
   */
  access?: Access
  params?: z.ZodType
  query?: z.ZodType
  json?: z.ZodType
  /** Documented request headers; the handler reads them (with this schema) for its own error code. */
  headers?: z.ZodObject
  /** Headers its successful answers may carry, by name, with what each says (documented only). */
  replyHeaders?: Record<string, string>
  responses: Responses
}

// The request's types, as validate() gives them to c.req.valid() and Hono's typed client.
type InputOf<Target extends keyof ValidationTargets, Schema> = Schema extends z.ZodType
  ? // biome-ignore lint/suspicious/noExplicitAny: validate()'s middleware, whatever its env and path
    ReturnType<typeof validate<Target, Schema>> extends MiddlewareHandler<any, any, infer I>
    ? I
    : never
  : // biome-ignore lint/complexity/noBannedTypes: {} is Hono's own 'no input' (a neutral member of the intersection)
    {}
type Inputs<Spec extends OperationSpec> = InputOf<'param', Spec['params']> &
  InputOf<'query', Spec['query']> &
  InputOf<'json', Spec['json']> extends infer I extends Input
  ? I
  : never

/** The responses a handler may return: one per declared success status, its body typed by the schema. */
export type Reply<R extends Responses> = {
  [S in keyof R & SuccessStatus]: R[S] extends z.ZodType ? TypedResponse<z.input<R[S]>, S, 'json'> : TypedResponse<null, S, 'body'>
}[keyof R & SuccessStatus]

/** Where `operation()` leaves its spec on the handler, for the OpenAPI document and the contract checks. */
export const OPERATION = Symbol('tessera.operation')

/**
 * An API route's handler with its contract: access checked, inputs validated (400 `invalid_input`), responses
 * declared per status. A handler that answers a body or status its spec does not declare does not
 * compile; the OpenAPI document (`/api/openapi.json`) is built from the same spec.
 * @example
 * api.get('/:id', operation({
 *   id: 'orders.get', summary: 'One of your orders', access: 'signed-in',
 *   params: z.object({ id: idText }),
 *   responses: { 200: z.object({ order: orderSchema }), 404: 'No such order' },
 * }, async (c) => c.json({ order: await findOrder(c.var.db, c.req.valid('param').id) }, 200)))
 */
export function operation<const Spec extends OperationSpec>(
  spec: Spec,
  handler: (c: Context<AppEnv, string, Inputs<Spec>>) => Promise<Reply<Spec['responses']>>,
) {
  const validators = (['param', 'query', 'json'] as const).flatMap((target) => {
    const schema = spec[target === 'param' ? 'params' : target]
    return schema ? [validate(target, schema)] : []
  })
  const skip = async () => {}
  const handle: Handler<AppEnv, string, Inputs<Spec>, Promise<Reply<Spec['responses']>>> = async (c) => {
    if (spec.access) await refuseOutsiders(c, spec.access)
    for (const validator of validators) await validator(c as Context, skip)
    return handler(c)
  }
  return Object.assign(handle, { [OPERATION]: spec as OperationSpec })
}

async function refuseOutsiders(c: Context<AppEnv>, access: Access): Promise<void> {
  const who = await c.var.identify()
  if (!who) throw new HttpError(401, 'unauthorized', 'Sign in to continue.')
  if (access === 'admin' && who.role !== 'admin') throw new HttpError(403, 'forbidden', 'Only administrators may do that.')
}

/** The spec `operation()` left on a route's handler, if any. */
export const operationOf = (handler: unknown): OperationSpec | undefined => (handler as { [OPERATION]?: OperationSpec } | undefined)?.[OPERATION]
