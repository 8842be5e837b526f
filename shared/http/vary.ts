/**
 * `Vary` with each name in it once, `names` added where missing. Appending blindly grows it: a
 * page refreshed in the background renders with its stale answer's headers already in the context
 * (Hono's `c.body()` starts from them), and an append per refresh made `Vary` kilobytes long.
 * @example withVary('X-Tessera-Data, x-tessera-data', 'Accept-Encoding') // 'X-Tessera-Data, Accept-Encoding'
 */
export function withVary(vary: string | null | undefined, ...names: string[]): string {
  const kept: string[] = []
  for (const name of [...(vary ?? '').split(','), ...names].map((entry) => entry.trim())) {
    if (name && !kept.some((other) => other.toLowerCase() === name.toLowerCase())) kept.push(name)
  }
  return kept.join(', ')
}

/** Adds `name` to the headers' `Vary`, unless it is there already. */
export function varyOn(headers: Headers, name: string): void {
  headers.set('Vary', withVary(headers.get('Vary'), name))
}
