import type { Settled } from './boot.ts'

type Thenable = Promise<unknown> & { status?: string; value?: unknown; reason?: unknown }

/**
 * Rebuilds a page's data in the browser: each deferred key becomes a promise, already settled
 * (so `use()` reads it synchronously and hydration matches the server) or settled later by
 * `settle()` when the server streams the value.
 */
export function reviveDeferred(data: unknown, keys: string[], settled: Record<string, Settled>) {
  const waiting = new Map<string, (settled: Settled) => void>()
  if (keys.length === 0) return { data, settle: () => {} }
  const revived: Record<string, unknown> = { ...(data as Record<string, unknown>) }
  for (const key of keys) {
    const known = settled[key]
    revived[key] = known ? settledThenable(known) : handled(new Promise<Settled>((resolve) => waiting.set(key, resolve)).then(unwrap))
  }
  return { data: revived, settle: (key: string, outcome: Settled) => waiting.get(key)?.(outcome) }
}

/**
 * The promise, its failure marked as handled: its part shows it (PagePart) when React reads it,
 * which may be later or never (a part not hydrated yet), not as an uncaught rejection meanwhile.
 */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {})
  return promise
}

function settledThenable(settled: Settled): Thenable {
  const promise: Thenable = handled('value' in settled ? Promise.resolve(settled.value) : Promise.reject(new Error(settled.error)))
  return Object.assign(promise, 'value' in settled ? { status: 'fulfilled', value: settled.value } : { status: 'rejected', reason: new Error(settled.error) })
}

function unwrap(settled: Settled): unknown {
  if ('value' in settled) return settled.value
  throw new Error(settled.error)
}
