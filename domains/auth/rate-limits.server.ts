import type { Context } from 'hono'
import { MemoryStore } from 'hono-rate-limiter'
import { clientIp, HttpError, type AppEnv } from '#shared/http'

interface Limit {
  store: MemoryStore
  limit: number
  windowMs: number
}

/** hono-rate-limiter's store, used as a counter: the same limits guard the API and the forms. */
function limit(limit: number, windowMs: number): Limit {
  const store = new MemoryStore()
  store.init({ windowMs } as Parameters<MemoryStore['init']>[0])
  return { store, limit, windowMs }
}

const MINUTE = 60_000
const loginsPerIp = limit(5, MINUTE)
const loginsPerEmail = limit(5, MINUTE)
const registrationsPerIp = limit(5, 10 * MINUTE)

function consume({ store, limit, windowMs }: Limit, key: string): void {
  const { totalHits, resetTime } = store.increment(key)
  if (totalHits <= limit) return
  const retryAfter = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000))
  throw new HttpError(429, 'too_many_requests', `Too many attempts. Try again in ${retryAfter} seconds.`, undefined, { 'Retry-After': String(retryAfter) })
}

/** 5 login attempts a minute per address and per email; the 6th answers 429 with Retry-After. */
export function limitLogin(c: Context<AppEnv>, email: string): void {
  consume(loginsPerIp, clientIp(c))
  consume(loginsPerEmail, email)
}

/** 5 registrations per 10 minutes per address. */
export function limitRegistration(c: Context<AppEnv>): void {
  consume(registrationsPerIp, clientIp(c))
}
