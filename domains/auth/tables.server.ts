import type { Generated } from 'kysely'

export type Role = 'customer' | 'admin'

export interface UsersTable {
  id: Generated<number>
  /** Trimmed and lower-cased; unique. */
  email: string
  name: string
  /** `scrypt$N$r$p$salt$hash`: the parameters travel with the hash so they can be raised later. */
  password_hash: string
  role: Generated<Role>
  created_at: number
  updated_at: number
}

export interface SessionsTable {
  /** SHA-256 of the cookie's token: a leaked database holds no usable session. */
  token_hash: string
  user_id: number
  created_at: number
  expires_at: number
}

declare module '#shared/db' {
  interface Database {
    users: UsersTable
    sessions: SessionsTable
  }
}
