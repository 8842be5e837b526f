import type { Context } from 'hono'
import { z } from 'zod'
import { ActionInvalid, type LoaderContext, type PageAction } from '#shared/domain'
import { HttpError, isRedirectablePath, locationOf, redirectTarget, type AppEnv, type Issue } from '#shared/http'
import { ACTION_HEADER, type ActionState } from '#shared/ui'
import { pathAndQuery } from './request-url.ts'

/** Fields never sent back to the browser to refill a form: a card's number and code, not its expiry date. */
const SECRET_FIELD = /pass(word)?|secret|token|card(number)?$|cvc|cvv/i

type ShowPage = (c: Context<AppEnv>, extra: { status: ClientErrorStatus; action: ActionState }) => Promise<Response>

/**
 * Runs a page's action for a form POST. Without JavaScript: 303 to the page (post/redirect/get)
 * or to where the action redirected, or the page again (422) with errors and the input kept.
 * With JavaScript (header `X-Tessera-Action: 1`): the same outcomes as JSON.
 * CSRF was checked before this runs (Origin / Sec-Fetch-Site, see entry-server.tsx).
 */
export async function runAction(c: Context<AppEnv>, action: PageAction, ctx: LoaderContext, showPage: ShowPage): Promise<Response> {
  const byFetch = c.req.header(ACTION_HEADER) === '1'
  const fields = await readFields(c)
  const outcome = await attempt(action, ctx, fields)
  if (typeof outcome === 'string') return byFetch ? c.json({ ok: true, redirect: outcome }) : c.redirect(locationOf(outcome), 303)
  if (outcome.ok) return byFetch ? c.json({ ok: true }) : c.redirect(backTo(c), 303)
  const { status = 422, headers = {}, ...state } = outcome
  for (const [name, value] of Object.entries(headers)) c.header(name, value)
  return byFetch ? c.json(state, status) : showPage(c, { status, action: state })
}

/** The page again (post/redirect/get): its path and query, or its path alone when that would not fit in a Location. */
function backTo(c: Context): string {
  const page = pathAndQuery(c)
  return locationOf(isRedirectablePath(page) ? page : c.req.path)
}

/** A refused action: what to show, and the status (422, or a client error the action threw). */
type Refusal = ActionState & { status?: ClientErrorStatus; headers?: Record<string, string> }
/** The statuses an action's refusal may carry: the page is shown again with it and the form's errors. */
const CLIENT_ERROR_STATUSES = [400, 401, 402, 403, 404, 409, 422, 429] as const
export type ClientErrorStatus = (typeof CLIENT_ERROR_STATUSES)[number]

/** The action's outcome: a state to show, or the path it redirected to. */
async function attempt(action: PageAction, ctx: LoaderContext, fields: Record<string, unknown>): Promise<Refusal | string> {
  const parsed = action.input.safeParse(fields)
  if (!parsed.success) {
    const { fieldErrors, formErrors } = z.flattenError(parsed.error)
    return refused(fields, fieldErrors as Record<string, string[]>, formErrors[0])
  }
  try {
    await action.run(ctx, parsed.data)
    return { ok: true }
  } catch (err) {
    if (err instanceof ActionInvalid) return refused(fields, err.fieldErrors, err.formError)
    // A client error the action raised (too many attempts, a conflict…): its message on the form.
    if (err instanceof HttpError && isClientError(err.status)) {
      const fieldErrors = fieldErrorsOf(err.issues ?? [])
      return { ...refused(fields, fieldErrors, err.issues?.length ? undefined : err.message), code: err.code, status: err.status, headers: err.headers }
    }
    const target = redirectTarget(err)
    if (target) return target
    throw err
  }
}

/** `[{ path: ['email'], message }]` as `{ email: [message] }`. */
function fieldErrorsOf(issues: Issue[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {}
  for (const { path, message } of issues) (errors[String(path[0] ?? '')] ??= []).push(message)
  return errors
}

const isClientError = (status: number): status is ClientErrorStatus => (CLIENT_ERROR_STATUSES as readonly number[]).includes(status)

function refused(fields: Record<string, unknown>, fieldErrors: Record<string, string[]>, formError?: string): ActionState {
  const values = Object.fromEntries(
    Object.entries(fields).flatMap(([name, value]) => (typeof value === 'string' && !SECRET_FIELD.test(name) ? [[name, value]] : [])),
  )
  return { ok: false, fieldErrors: inPostedOrder(fieldErrors, fields), values, ...(formError ? { formError } : {}) }
}

/**
 * Field errors in the order the browser posted the fields (the form's order on screen), not the
 * schema's: the form puts the focus on the first (see Form in #shared/ui). Others go last.
 */
function inPostedOrder(fieldErrors: Record<string, string[]>, fields: Record<string, unknown>): Record<string, string[]> {
  const posted = Object.keys(fields)
  const rank = (name: string) => (posted.includes(name) ? posted.indexOf(name) : posted.length)
  return Object.fromEntries(Object.entries(fieldErrors).sort(([a], [b]) => rank(a) - rank(b)))
}

/** Form fields as an object; a repeated name becomes an array. */
async function readFields(c: Context): Promise<Record<string, unknown>> {
  let form: FormData
  try {
    form = await c.req.formData()
  } catch {
    throw new HttpError(400, 'bad_request', 'The form could not be read.')
  }
  const fields: Record<string, unknown> = {}
  for (const [name, value] of form) {
    const known = fields[name]
    fields[name] = known === undefined ? value : Array.isArray(known) ? [...known, value] : [known, value]
  }
  return fields
}
