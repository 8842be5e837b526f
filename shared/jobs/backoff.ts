const maxDelayMs = 10 * 60_000

/**
 * The wait before retrying after failed attempt `attempt` (1-based): 1 s, 2 s, 4 s… capped at
 * 10 minutes, then spread ±20% so jobs that failed together (a service was down) do not all
 * retry in the same instant.
 * @example exponentialBackoff(3) // about 4000
 */
export function exponentialBackoff(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(1000 * 2 ** Math.max(0, attempt - 1), maxDelayMs)
  return Math.round(base * (0.8 + 0.4 * random()))
}
