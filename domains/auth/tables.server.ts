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

/** A password-reset token: only its hash is kept, so a leaked database (or backup) resets nothing. */
export interface PasswordResetsTable {
  /** SHA-256 of the token the mail's link carries. */
  token_hash: string
  user_id: number
  created_at: number
  expires_at: number
}

/** One rate-limit counter (rate-limit-store.server.ts); times in milliseconds since 1970. */
export interface RateLimitsTable {
  /** The limit's name and what it counts, e.g. `login-address 10.0.0.7`. */
  key: string
  /** Attempts (a fixed window) or failures (a ceiling) in the current window. */
  hits: number
  window_ends: number
  /** A ceiling's hold: refused until then (0: never held). */
  hold_until: number
  /** A ceiling's last hold, which the next one doubles (0: none, or forgotten). */
  hold_ms: number
  /** After this the row says nothing any more: purged. */
  expires_at: number
}

declare module '#shared/db' {
  interface Database {
    users: UsersTable
    sessions: SessionsTable
    auth_rate_limits: RateLimitsTable
    password_resets: PasswordResetsTable
  }
}
