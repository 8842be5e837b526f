import { domainToUnicode } from 'node:url'
import type { Selectable } from 'kysely'
import type { Db } from '#shared/db'
import type { User } from './schemas.ts'
import type { Role, UsersTable } from './tables.server.ts'

export type UserRow = Selectable<UsersTable>

/** The public face of a user row: no password data, ever. */
export function toUser(row: UserRow): User {
  return { id: row.id, email: readableEmail(row.email), name: row.name, role: row.role, createdAt: new Date(row.created_at).toISOString() }
}

/**
 * An address as its owner typed it: kept with its domain in ASCII (`xn--exmple-cua.com`, what
 * mail is sent to, schemas.ts), shown in its letters (`exämple.com`). Login takes either.
 */
function readableEmail(email: string): string {
  const at = email.lastIndexOf('@')
  const domain = email.slice(at + 1)
  if (!domain.includes('xn--')) return email
  return `${email.slice(0, at + 1)}${domainToUnicode(domain) || domain}`
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
}

export function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

/** A user's public face by id (no password data): who placed an order, for an admin. */
export async function userById(db: Db, id: number): Promise<User | undefined> {
  const row = await findUserById(db, id)
  return row && toUser(row)
}

/** Inserts a user; undefined when the email is taken (the unique index decides, not a prior read). */
export async function insertUser(
  db: Db,
  user: { email: string; name: string; passwordHash: string; role?: Role },
  now = Date.now(),
): Promise<UserRow | undefined> {
  return db
    .insertInto('users')
    .values({ email: user.email, name: user.name, password_hash: user.passwordHash, role: user.role ?? 'customer', created_at: now, updated_at: now })
    .onConflict((conflict) => conflict.column('email').doNothing())
    .returningAll()
    .executeTakeFirst()
}

export async function updateUser(
  db: Db,
  id: number,
  changes: { name?: string; passwordHash?: string; role?: Role },
  now = Date.now(),
): Promise<UserRow | undefined> {
  return db
    .updateTable('users')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}
