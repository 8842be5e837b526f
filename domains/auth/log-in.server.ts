import type { Context } from 'hono'
import { clientNetwork, type AppEnv } from '#shared/http'
import { authenticate } from './accounts.server.ts'
import { deviceOf, hasDeviceCookie } from './device-cookie.server.ts'
import { signIn } from './guard.server.ts'
import { loginLimits } from './login-limits.server.ts'
import type { LoginInput, User } from './schemas.ts'
import { findUserByEmail } from './users.server.ts'

/** Logs in by email and password under the login limits (the API and the form alike). */
export async function logIn(c: Context<AppEnv>, input: LoginInput): Promise<User> {
  const attempt = await loginLimits(c.var.db).start({ address: clientNetwork(c), email: input.email, device: await deviceOfOwner(c, input.email) })
  const user = await authenticate(c.var.db, input)
  await attempt.succeeded()
  return signIn(c, user)
}

/** The id of the request's device cookie when it is a live one of the account of `email`; otherwise none. */
async function deviceOfOwner(c: Context<AppEnv>, email: string): Promise<string | undefined> {
  if (!hasDeviceCookie(c)) return undefined
  const owner = await findUserByEmail(c.var.db, email)
  return owner && deviceOf(c, owner)
}
