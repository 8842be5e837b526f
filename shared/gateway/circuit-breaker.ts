/**
 * Stops calling an upstream that keeps failing, so requests fail fast (503) instead of each
 * waiting out its timeout, and lets one request try again after a pause:
 * closed (calls go through) → `failures` in a row → open (none go, for `openMs`) → half-open
 * (one trial goes; its success closes the breaker, its failure opens it again).
 */
export class CircuitBreaker {
  #failures = 0
  #openedAt: number | undefined
  #trial = false

  constructor(private readonly options: { failures: number; openMs: number; now?: () => number }) {}

  /**
   * Whether a call may go now; in half-open, only the one trial does, and only a call that can be
   * one (`canTry`: the proxy's requests without a body, so no client can hold the only trial
   * slot by dribbling an upload).
   */
  allow({ canTry = true }: { canTry?: boolean } = {}): boolean {
    if (this.#openedAt === undefined) return true
    if (this.#now() - this.#openedAt < this.options.openMs || this.#trial || !canTry) return false
    this.#trial = true
    return true
  }

  succeeded(): void {
    this.#failures = 0
    this.#openedAt = undefined
    this.#trial = false
  }

  /**
   * A call that ended saying nothing of the upstream (its client hung up, or broke off its upload):
   * in half-open, the next request may be the trial.
   */
  released(): void {
    this.#trial = false
  }

  failed(): void {
    this.#trial = false
    if (++this.#failures >= this.options.failures || this.#openedAt !== undefined) this.#openedAt = this.#now()
  }

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.#openedAt === undefined) return 'closed'
    return this.#now() - this.#openedAt < this.options.openMs ? 'open' : 'half-open'
  }

  #now(): number {
    return (this.options.now ?? Date.now)()
  }
}
