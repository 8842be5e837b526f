import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import type { z } from 'zod'
import { HttpError, type Issue } from './errors.ts'
import { checkJsonBody } from './json-body.ts'

/** zod's issues in the shape of the API error body: a path of keys, a message, a code. */
export function toIssues(issues: readonly z.core.$ZodIssue[]): Issue[] {
  return issues.map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
    message: issue.message,
    code: issue.code,
  }))
}

/** Each part of a request as its error message names it (Hono's target names are code, not words). */
const PART: Record<keyof ValidationTargets, string> = {
  json: 'request body',
  form: 'form',
  query: 'query string',
  param: 'path',
  header: 'request headers',
  cookie: 'cookies',
}

/**
 * `zValidator` that answers invalid input with the app's error body:
 * 400 `{ error: { code: 'invalid_input', message, issues } }`.
 * API routes declare their input in `operation()`, which uses this; pages and other handlers use it directly.
 * @example app.post('/items', validate('json', itemSchema), (c) => c.json(c.req.valid('json')))
 */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(target: Target, schema: Schema) {
  const check = zValidator(target, schema, (result) => {
    if (!result.success) {
      throw new HttpError(400, 'invalid_input', `The ${PART[target]} is not valid.`, toIssues(result.error.issues))
    }
  })
  if (target !== 'json') return check
  // A body is JSON before it is valid: 415 for another media type (json-body.ts).
  const checkJson: typeof check = async (c, next) => {
    await checkJsonBody(c)
    return check(c, next)
  }
  return checkJson
}
