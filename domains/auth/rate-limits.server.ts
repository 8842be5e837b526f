import type { Db } from '#shared/db'
import { HttpError } from '#shared/http'
import { countInWindow, forgetKey, forgetKeysEndingIn } from './rate-limit-store.server.ts'

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

/** A counted attempt: it stays counted as a failure unless it turns out well. */
export interface Attempt {
  succeeded(): Promise<void>
}

/** A counter per key over fixed windows; the same limits guard the API and the forms. */
export interface FixedWindow {
  /** Counts one attempt for `key`; past the limit, throws 429 with Retry-After. */
  take(db: Db, key: string): Promise<void>
  /** Forgets `key`'s attempts (a good login forgives the failures before it). */
  reset(db: Db, key: string): Promise<void>
  /** Forgets the attempts of every key `<something> <lastWord>` (an email from every address). */
  resetEndingIn(db: Db, lastWord: string): Promise<void>
}

/**
 * `limit` attempts per key in a window of `windowMs` that starts at its first attempt, counted in
 * the database (one statement an attempt), so every process and host shares the count. `name`
 * keeps limits apart in the one table.
 */
export function fixedWindow(name: string, limit: number, windowMs: number): FixedWindow {
  return {
    async take(db, key) {
      const now = Date.now()
      const { hits, windowEnds } = await countInWindow(db, `${name} ${key}`, now, windowMs)
      if (hits > limit) throw tooManyAttempts(windowEnds - now)
    },
    reset: (db, key) => forgetKey(db, `${name} ${key}`),
    resetEndingIn: (db, lastWord) => forgetKeysEndingIn(db, name, lastWord),
  }
}

/** 429 with Retry-After in whole seconds, and the wait in words. */
export function tooManyAttempts(waitMs: number, hint = ''): HttpError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000))
  return new HttpError(429, 'too_many_requests', `Too many attempts. Try again in ${inWords(seconds)}${hint}.`, undefined, { 'Retry-After': String(seconds) })
}

function inWords(seconds: number): string {
  const [amount, unit] = seconds < 120 ? [seconds, 'second'] : seconds < 2 * 3600 ? [Math.ceil(seconds / 60), 'minute'] : [Math.ceil(seconds / 3600), 'hour']
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`
}

const registrationsPerAddress = fixedWindow('register-address', 5, 10 * MINUTE)
/** 5 registrations per 10 minutes per client address. */
export function limitRegistration(db: Db, address: string): Promise<void> {
  return registrationsPerAddress.take(db, address)
}

const passwordChecksPerUser = fixedWindow('password-check-user', 5, 15 * MINUTE)
/**
 * Every password change counts here, the ones that work too (forgiven by the limit above): each
 * costs two scrypt hashes (~150 ms of CPU), and a session changing its password to itself again
 * and again would keep a core busy.
 */
const passwordChangesPerUser = fixedWindow('password-change-user', 10, HOUR)
/**
 * 5 wrong current passwords per 15 minutes per user at a password change, whichever session
 * sends them (a stolen one guessing), and 10 changes an hour whatever their outcome; past either,
 * 429 before any check, the right password too.
 */
export async function limitPasswordCheck(db: Db, userId: number): Promise<Attempt> {
  const key = String(userId)
  await passwordChangesPerUser.take(db, key)
  await passwordChecksPerUser.take(db, key)
  return { succeeded: () => passwordChecksPerUser.reset(db, key) }
}

const resetRequestsPerAddress = fixedWindow('reset-address', 10, HOUR)
const resetRequestsPerEmail = fixedWindow('reset-email', 3, HOUR)
/**
 * 10 reset requests an hour per client address and 3 per address asked for (whether it has an
 * account or not: the limit says nothing either), so nobody floods an inbox or the mail server.
 */
export async function limitResetRequest(db: Db, { address, email }: { address: string; email: string }): Promise<void> {
  await resetRequestsPerAddress.take(db, address)
  await resetRequestsPerEmail.take(db, email)
}

const resetConfirmsPerAddress = fixedWindow('reset-confirm-address', 10, 15 * MINUTE)
/** 10 new passwords set by link per 15 minutes per client address: each costs a scrypt hash. */
export function limitResetConfirm(db: Db, address: string): Promise<void> {
  return resetConfirmsPerAddress.take(db, address)
}
