import type { Context } from 'hono'
import type { AppEnv } from '#shared/http'
import { changePassword } from './accounts.server.ts'
import { signIn } from './guard.server.ts'
import { limitPasswordCheck } from './rate-limits.server.ts'

/**
 * Changes the signed-in user's password, the current one checked under a per-user limit. Then
 * every session of theirs ends, this one included, and this browser gets a new token: a cookie
 * taken before the change opens nothing.
 */
export async function changeOwnPassword(c: Context<AppEnv>, userId: number, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const attempt = await limitPasswordCheck(c.var.db, userId)
  const user = await changePassword(c.var.db, userId, input.currentPassword, input.newPassword) // every session ends
  await attempt.succeeded()
  await signIn(c, user)
}
