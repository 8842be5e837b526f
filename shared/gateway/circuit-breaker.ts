export interface BreakerOptions {
  /** Failures within `windowMs` (from two clients or more) that may open the circuit. */
  failures: number
  /** How long it stays open before a trial. */
  openMs: number
  /** How far back a client's last word counts; 10 s by default. */
  windowMs?: number
  now?: () => number
}

/** A client's latest word in the window: how many of its calls failed since its last success (0: it succeeded). */
interface Vote {
  at: number
  failures: number
}

/**
 * Stops calling an upstream that is down, so requests fail fast (503) instead of each waiting
 * out its timeout, and lets one request try again after a pause. It judges the upstream, not one
 * client's requests (a visitor asking again and again for a path that times out must not shut
 * the service for everyone): each client (its address, `clientNetwork`) has one vote, its latest
 * call's outcome within `windowMs`.
 * closed → open when two clients or more have their last call failed, more clients than have it
 * succeeded, with `failures` failures between them → after `openMs` half-open: one trial at a
 * time, from a request without a body (`canTry`). A success closes the circuit; a failed trial
 * opens it again only once a second client's trial has failed too; until then the clients whose
 * trial failed or was abandoned wait `openMs` before they may be the trial again, and others try.
 */
export class CircuitBreaker {
  /** Closed: each client's vote, the oldest first (re-inserted on each call), so expiry is from the front. */
  #votes = new Map<string, Vote>()
  #failingClients = 0
  #okClients = 0
  #failures = 0
  #openedAt: number | undefined
  /** Half-open: who holds the trial, who may not try before when, and whose trial failed first. */
  #trial: string | undefined
  #barred = new Map<string, number>()
  #firstFailedTrial: string | undefined

  constructor(private readonly options: BreakerOptions) {}

  /** Whether `client`'s call may go now; in half-open, only the one trial does, and only a call that can be one. */
  allow(client: string, { canTry = true }: { canTry?: boolean } = {}): boolean {
    if (this.#openedAt === undefined) return true
    if (this.state === 'open' || this.#trial !== undefined || !canTry) return false
    if ((this.#barred.get(client) ?? 0) > this.#now()) return false
    this.#trial = client
    return true
  }

  succeeded(client: string): void {
    if (this.#openedAt !== undefined) this.#close()
    else this.#vote(client, 0)
  }

  /** A call that ended saying nothing of the upstream (its client hung up): a trial's client waits, the next may try. */
  released(client: string): void {
    if (this.#trial !== client) return
    this.#trial = undefined
    this.#barred.set(client, this.#now() + this.options.openMs)
  }

  failed(client: string): void {
    if (this.#openedAt === undefined) {
      this.#vote(client, (this.#fresh(client)?.failures ?? 0) + 1)
      if (this.#failingClients >= 2 && this.#failingClients > this.#okClients && this.#failures >= this.options.failures) this.#open()
      return
    }
    // Open: a call made before it opened, which tells nothing new. Half-open: a trial (or such a call).
    if (this.state === 'open') return
    if (this.#trial === client) this.#trial = undefined
    if (this.#firstFailedTrial !== undefined && this.#firstFailedTrial !== client) {
      this.#open()
    } else {
      this.#firstFailedTrial = client
      this.#barred.set(client, this.#now() + this.options.openMs)
    }
  }

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.#openedAt === undefined) return 'closed'
    return this.#now() - this.#openedAt < this.options.openMs ? 'open' : 'half-open'
  }

  #vote(client: string, failures: number): void {
    this.#expire()
    this.#forget(client)
    this.#votes.set(client, { at: this.#now(), failures })
    if (failures > 0) this.#failingClients++
    else this.#okClients++
    this.#failures += failures
  }

  /** The client's vote if still within the window. */
  #fresh(client: string): Vote | undefined {
    const vote = this.#votes.get(client)
    return vote && this.#now() - vote.at < this.#windowMs ? vote : undefined
  }

  #expire(): void {
    for (const [client, vote] of this.#votes) {
      if (this.#now() - vote.at < this.#windowMs) return
      this.#forget(client)
    }
  }

  #forget(client: string): void {
    const vote = this.#votes.get(client)
    if (!vote) return
    this.#votes.delete(client)
    if (vote.failures > 0) this.#failingClients--
    else this.#okClients--
    this.#failures -= vote.failures
  }

  #open(): void {
    this.#reset()
    this.#openedAt = this.#now()
  }

  #close(): void {
    this.#reset()
    this.#openedAt = undefined
  }

  #reset(): void {
    this.#votes.clear()
    this.#failingClients = this.#okClients = this.#failures = 0
    this.#trial = this.#firstFailedTrial = undefined
    this.#barred.clear()
  }

  get #windowMs(): number {
    return this.options.windowMs ?? 10_000
  }

  #now(): number {
    return (this.options.now ?? Date.now)()
  }
}
