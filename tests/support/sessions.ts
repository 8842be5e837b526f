import { expect } from 'vitest'

/** The cookies a response sets, as the value of a `Cookie` request header (`a=1; b=2`). */
export function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ')
}

/** A server's fetch: the global one (a running server) or an app's in-process `request`. */
type Send = (url: string, init: RequestInit) => Response | Promise<Response>

type Options = {
  /** More request headers: an `X-Forwarded-For` of the caller's own (the limits count per address), another `Origin`. */
  headers?: Record<string, string>
  send?: Send
}

/**
 * Signs in through the JSON API of the server at `base` (its origin) and returns the session's
 * cookies; the test fails unless the server answers 200.
 */
export async function logIn(base: string, credentials: { email: string; password: string }, options: Options = {}): Promise<string> {
  return sessionFrom(base, '/api/auth/login', credentials, 200, options)
}

/** Signs a new account up as logIn signs in (201 expected): the account's session cookies. */
export async function signUp(base: string, account: { email: string; name: string; password: string }, options: Options = {}): Promise<string> {
  return sessionFrom(base, '/api/auth/register', account, 201, options)
}

async function sessionFrom(base: string, path: string, body: object, expected: number, { headers = {}, send = fetch }: Options): Promise<string> {
  const res = await send(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: base, ...headers },
    body: JSON.stringify(body),
  })
  expect(res.status, `POST ${path}`).toBe(expected)
  return cookiesOf(res)
}
