import type { Db } from '#shared/db'
import { countFailure, releaseHold, uncountFailure, type CeilingRule } from './rate-limit-store.server.ts'
import { tooManyAttempts } from './rate-limits.server.ts'

export interface BackoffCeilingOptions extends CeilingRule {
  /** Keeps ceilings apart in the counters' table. */
  name: string
  /** Attempts a key may fail within a window. */
  limit: number
  /** The window starts at a key's first failure (and again after each hold). */
  windowMs: number
  /** The first hold; each next one doubles, up to `longestHoldMs`. */
  firstHoldMs: number
  longestHoldMs: number
  /** Holds are counted from 1 again once this long has passed since the last one ended. */
  forgetAfterMs: number
  /** Appended to the 429's message. */
  hint?: string
}

/**
 * A ceiling on failures per key with backoff: the attempt past `limit` in a window holds the key
 * (429, nothing counted while held) for `firstHoldMs`, twice as long at each next time, and then
 * starts a new window. Counted in the database (one statement an attempt), shared by every
 * process and host like the other limits; expired keys are purged with them.
 */
export class BackoffCeiling {
  constructor(private readonly options: BackoffCeilingOptions) {}

  /** Counts an attempt for `key`; throws 429 with Retry-After while held or when this one reaches the ceiling. */
  async take(db: Db, key: string): Promise<void> {
    const now = Date.now()
    const holdUntil = await countFailure(db, this.#key(key), now, this.options)
    if (holdUntil > now) throw tooManyAttempts(holdUntil - now, this.options.hint)
  }

  giveBack(db: Db, key: string): Promise<void> {
    return uncountFailure(db, this.#key(key))
  }

  /** Ends `key`'s hold and forgets its failures, remembering the hold's length for the next one. */
  release(db: Db, key: string): Promise<void> {
    return releaseHold(db, this.#key(key), Date.now())
  }

  #key(key: string): string {
    return `${this.options.name} ${key}`
  }
}
