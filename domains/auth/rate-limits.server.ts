import { MemoryStore } from 'hono-rate-limiter'
import { HttpError } from '#shared/http'

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

/** A counted attempt: it stays counted as a failure unless it turns out well. */
export interface Attempt {
  succeeded(): void
}

/** A counter per key over fixed windows; the same limits guard the API and the forms. */
export interface FixedWindow {
  /** Counts one attempt for `key`; past the limit, throws 429 with Retry-After. */
  take(key: string): void
  /** Forgets `key`'s attempts (a good login forgives the failures before it). */
  reset(key: string): void
}

/** hono-rate-limiter's MemoryStore, used as a counter (it forgets keys idle for a window). */
export function fixedWindow(limit: number, windowMs: number): FixedWindow {
  const store = new MemoryStore()
  store.init({ windowMs } as Parameters<MemoryStore['init']>[0])
  return {
    take(key) {
      const { totalHits, resetTime } = store.increment(key)
      if (totalHits > limit) throw tooManyAttempts((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now())
    },
    reset: (key) => store.resetKey(key),
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

const registrationsPerAddress = fixedWindow(5, 10 * MINUTE)
/** 5 registrations per 10 minutes per client address. */
export function limitRegistration(address: string): void {
  registrationsPerAddress.take(address)
}

const passwordChecksPerUser = fixedWindow(5, 15 * MINUTE)
/**
 * 5 wrong current passwords per 15 minutes per user at a password change, whichever session
 * sends them (a stolen one guessing); past that, 429 before any check, the right password too.
 */
export function limitPasswordCheck(userId: number): Attempt {
  const key = String(userId)
  passwordChecksPerUser.take(key)
  return { succeeded: () => passwordChecksPerUser.reset(key) }
}
