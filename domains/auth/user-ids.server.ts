import type { Db } from '#shared/db'
import { withAsciiDomain } from './schemas.ts'

/**
 * Users' ids in id order, all of them or the one with this email (written as at sign-up: trimmed,
 * lower-cased, its domain in ASCII); for operators' tools such as `seed-orders --user`, which need no more of a user.
 */
export async function userIds(db: Db, email?: string): Promise<number[]> {
  let query = db.selectFrom('users').select('id').orderBy('id')
  if (email !== undefined) query = query.where('email', '=', withAsciiDomain(email.trim().toLowerCase()))
  return (await query.execute()).map((row) => row.id)
}
