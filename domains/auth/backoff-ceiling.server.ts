import { tooManyAttempts } from './rate-limits.server.ts'

export interface BackoffCeilingOptions {
  /** Attempts a key may fail within a window. */
  limit: number
  /** The window starts at a key's first failure (and again after each hold). */
  windowMs: number
  /** The first hold; each next one doubles, up to `longestHoldMs`. */
  firstHoldMs: number
  longestHoldMs: number
  /** Holds are counted from 1 again once this long has passed since the last one ended. */
  forgetAfterMs: number
  /** Keys kept at most; past that the oldest goes (bounded memory, whatever is sprayed). */
  maxKeys: number
  /** Appended to the 429's message. */
  hint?: string
}

interface Entry {
  failures: number
  windowEnds: number
  holdUntil: number
  holds: number
}

/**
 * A ceiling on failures per key with backoff: the attempt past `limit` in a window holds the key
 * (429, nothing counted while held) for `firstHoldMs`, twice as long at each next time, and then
 * starts a new window. In memory, per process, like the other limits.
 */
export class BackoffCeiling {
  readonly #entries = new Map<string, Entry>()
  #nextSweep = 0

  constructor(private readonly options: BackoffCeilingOptions) {}

  /** Counts an attempt for `key`; throws 429 with Retry-After while held or when this one reaches the ceiling. */
  take(key: string): void {
    const now = Date.now()
    this.#sweep(now)
    const entry = this.#entries.get(key) ?? this.#add(key, now)
    if (entry.holdUntil > now) throw tooManyAttempts(entry.holdUntil - now, this.options.hint)
    if (entry.holds && now - entry.holdUntil > this.options.forgetAfterMs) entry.holds = 0
    if (entry.windowEnds <= now) Object.assign(entry, { failures: 0, windowEnds: now + this.options.windowMs })
    if (++entry.failures <= this.options.limit) return
    const hold = Math.min(this.options.firstHoldMs * 2 ** entry.holds, this.options.longestHoldMs)
    Object.assign(entry, { failures: 0, holds: entry.holds + 1, holdUntil: now + hold, windowEnds: now + hold + this.options.windowMs })
    throw tooManyAttempts(hold, this.options.hint)
  }

  giveBack(key: string): void {
    const entry = this.#entries.get(key)
    if (entry && entry.failures > 0) entry.failures--
  }

  #add(key: string, now: number): Entry {
    if (this.#entries.size >= this.options.maxKeys) this.#entries.delete(this.#entries.keys().next().value!)
    const entry = { failures: 0, windowEnds: now + this.options.windowMs, holdUntil: 0, holds: 0 }
    this.#entries.set(key, entry)
    return entry
  }

  /** Drops keys whose window and holds are over, once a minute at most. */
  #sweep(now: number): void {
    if (now < this.#nextSweep) return
    this.#nextSweep = now + 60_000
    for (const [key, entry] of this.#entries) {
      if (entry.windowEnds <= now && now - entry.holdUntil > this.options.forgetAfterMs) this.#entries.delete(key)
    }
  }
}
