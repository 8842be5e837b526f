/**
 * A small, fast, seedable PRNG (mulberry32) for generated data: the same seed gives the same
 * numbers anywhere, so a seeded catalogue or order history is the same on every machine.
 */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
