import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { isDatabaseUnavailable } from './database-unavailable.ts'

/** One problem with one field of the input, as zod reports it. */
export interface Issue {
  path: (string | number)[]
  message: string
  code?: string
}

/** The body of every API error: `{ error: { code, message, issues? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; issues?: Issue[] }
}

/**
 * An error a client can act on: thrown anywhere in a handler or loader, answered with its status
 * and a JSON body (APIs) or a friendly page (pages).
 * @example throw new HttpError(409, 'duplicate_slug', 'That slug is taken')
 */
export class HttpError extends HTTPException {
  override name = 'HttpError'
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
    /** Extra response headers, e.g. `Retry-After` with a 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message })
  }

  /**
   * Its answer where no `onError` answers it (a sub-app on its own, Hono's default handler): the
   * same JSON body and headers (a 405's `Allow`, a 429's `Retry-After`) as the app's answer, not
   * Hono's bare text without them.
   */
  override getResponse(): Response {
    return new Response(JSON.stringify(errorBody(this.code, this.message, this.issues)), {
      status: this.status,
      headers: { 'Content-Type': 'application/json', ...this.headers },
    })
  }
}

const codeByStatus: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  431: 'headers_too_large',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  500: 'internal_error',
}

const messageByStatus: Record<number, string> = {
  400: 'The request is not valid.',
  401: 'Sign in to continue.',
  403: 'The request was refused.',
  404: 'Nothing is here.',
  405: 'This address does not answer that method.',
  408: 'The request took too long to arrive.',
  413: 'The request body is too large.',
  431: 'The request headers are too large.',
  500: 'Something went wrong on our side.',
  503: 'The store cannot reach its database just now. Please try again in a moment.',
}

/** Status, code, message and issues of any thrown value; unknown errors become a bare 500. */
export function describeError(err: unknown): { status: ContentfulStatusCode; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof HttpError) {
    return { status: err.status as ContentfulStatusCode, body: errorBody(err.code, err.message, err.issues), headers: err.headers }
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode
    // Hono's own exceptions (malformed JSON, CSRF, ...) carry client-safe messages.
    const message = err.message || messageByStatus[status] || 'The request failed.'
    return { status, body: errorBody(codeByStatus[status] ?? 'error', message) }
  }
  // The database is down or restarting: worth another try in a moment (the pool reconnects by itself).
  if (isDatabaseUnavailable(err)) return { status: 503, body: errorBody('database_unavailable', messageByStatus[503]!), headers: { 'Retry-After': '5' } }
  return { status: 500, body: errorBody('internal_error', messageByStatus[500]!) }
}

export function errorBody(code: string, message: string, issues?: Issue[]): ErrorBody {
  return { error: issues ? { code, message, issues } : { code, message } }
}

/** The standard body of a bare status, e.g. `statusError(404)` for an unknown API route. */
export function statusErrorBody(status: number): ErrorBody {
  return errorBody(codeByStatus[status] ?? 'error', messageByStatus[status] ?? 'The request failed.')
}

/** True for the JSON API's paths: errors there answer JSON, elsewhere a page. */
export const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/')
