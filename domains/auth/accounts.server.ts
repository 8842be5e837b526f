import type { Db } from '#shared/db'
import { HttpError } from '#shared/http'
import { adminSetUp } from './admin-setup.server.ts'
import { decoyHash, hashPassword, verifyPassword } from './passwords.server.ts'
import { replaceCredentials } from './sessions.server.ts'
import type { LoginInput, RegisterInput } from './schemas.ts'
import { findUserByEmail, findUserById, insertUser, updateUser, type UserRow } from './users.server.ts'

/** One message for a wrong email and a wrong password alike: no account enumeration. */
export const WRONG_CREDENTIALS = 'Wrong email or password.'

/** Creates a customer account. A taken email answers 409 on the email field. */
export async function registerUser(db: Db, input: RegisterInput): Promise<UserRow> {
  const user = await insertUser(db, { email: input.email, name: input.name, passwordHash: await hashPassword(input.password) })
  if (!user) throw new HttpError(409, 'email_taken', 'That email is already registered.', [{ path: ['email'], message: 'That email is already registered.' }])
  return user
}

/** The account these credentials open, or 401 with one generic message. */
export async function authenticate(db: Db, input: LoginInput): Promise<UserRow> {
  await adminSetUp(db) // the configured admin's password, being set at start-up, applies
  const user = await findUserByEmail(db, input.email)
  // Hash even when the email is unknown, so both answers take the same time.
  const valid = await verifyPassword(input.password, user?.password_hash ?? decoyHash)
  if (!user || !valid) throw new HttpError(401, 'invalid_credentials', WRONG_CREDENTIALS)
  return user
}

export async function changeName(db: Db, userId: number, name: string): Promise<UserRow> {
  const user = await updateUser(db, userId, { name })
  if (!user) throw new HttpError(404, 'not_found', 'No such user.')
  return user
}

/** Sets a new password after checking the current one (a wrong one answers on its field), signing every session out; the user as now. */
export async function changePassword(db: Db, userId: number, currentPassword: string, newPassword: string): Promise<UserRow> {
  const wrong = () =>
    new HttpError(400, 'wrong_password', 'The current password is wrong.', [{ path: ['currentPassword'], message: 'The current password is wrong.' }])
  const user = await findUserById(db, userId)
  if (!user || !(await verifyPassword(currentPassword, user.password_hash))) throw wrong()
  // Every session of the user ends with the old password, in the same transaction; a password
  // replaced since it was checked (an admin take-over) makes the one typed wrong.
  const updated = await replaceCredentials(db, userId, { passwordHash: await hashPassword(newPassword) }, user.password_hash)
  if (!updated) throw wrong()
  return updated
}

/**
 * Creates the admin, or makes the account of that email the admin with this password (start-up,
 * CLI). Taking an account over signs all its sessions out, as a password change does: the email
 * may have been registered by anyone before it was named the admin's, and their session must not
 * become an admin's. An admin whose password is already this one is left as is (every start runs this).
 */
export async function ensureAdmin(db: Db, email: string, password: string): Promise<{ user: UserRow; created: boolean; signedOut: boolean }> {
  const existing = await findUserByEmail(db, email)
  if (existing?.role === 'admin' && (await verifyPassword(password, existing.password_hash))) return { user: existing, created: false, signedOut: false }
  const passwordHash = await hashPassword(password)
  const created = existing ? undefined : await insertUser(db, { email, name: 'Administrator', passwordHash, role: 'admin' })
  if (created) return { user: created, created: true, signedOut: false }
  const { id } = existing ?? (await findUserByEmail(db, email))! // made between the two statements: taken over too
  const user = (await replaceCredentials(db, id, { passwordHash, role: 'admin' }))!
  return { user, created: false, signedOut: true }
}
