import type { Settled } from '#shared/client'

/** A top-level promise in a loader's data: a part of the page that streams in later. */
export interface Deferred {
  key: string
  promise: TrackedPromise
}

/** React's thenable protocol: with `status` set, `use()` reads a settled promise synchronously. */
type TrackedPromise = Promise<unknown> & { status?: 'pending' | 'fulfilled' | 'rejected'; value?: unknown; reason?: unknown }

/**
 * Marks every top-level promise of loader data as handled, right when the loader returns: if the
 * page then fails before rendering (a throwing `head()`, a redirect), a later rejection of one
 * of them must not become an unhandled rejection that stops the process.
 */
export function trackDeferred(data: unknown): void {
  if (isPlainObject(data)) for (const value of Object.values(data)) if (value instanceof Promise) track(value)
}

/** Splits loader data into the JSON part and its deferred (top-level promise) values. */
export function splitDeferred(data: unknown): { json: unknown; deferred: Deferred[] } {
  if (!isPlainObject(data)) return { json: data, deferred: [] }
  const json: Record<string, unknown> = {}
  const deferred: Deferred[] = []
  for (const [key, value] of Object.entries(data)) {
    if (value instanceof Promise) deferred.push({ key, promise: track(value) })
    else json[key] = value
  }
  return { json, deferred }
}

/** Lets already-settled promises report so (after one turn of the event loop). */
export async function settleReady(deferred: Deferred[]): Promise<void> {
  if (deferred.length) await new Promise((resolve) => setImmediate(resolve))
}

/** The settled outcome of a deferred value; errors keep their message only when `expose` is on. */
export function settledOf(promise: TrackedPromise, expose: boolean): Settled | undefined {
  if (promise.status === 'fulfilled') return { value: promise.value }
  if (promise.status === 'rejected') return { error: errorMessage(promise.reason, expose) }
  return undefined
}

export function errorMessage(reason: unknown, expose: boolean): string {
  return expose && reason instanceof Error ? reason.message : 'This part of the page could not be loaded.'
}

function track(promise: TrackedPromise): TrackedPromise {
  if (promise.status) return promise
  promise.status = 'pending'
  // Block bodies: returning the promise itself would chain its rejection into a new, unhandled one.
  promise.then(
    (value) => {
      Object.assign(promise, { status: 'fulfilled', value })
    },
    (reason) => {
      Object.assign(promise, { status: 'rejected', reason })
    },
  )
  return promise
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
}

/**
 * The page's data with each pending deferred value failing at `signal` (the render timeout) if it
 * has not come by then: its part renders its failure, on the server too (PagePart), so a browser
 * without JavaScript shows it, rather than the render being cut off with the part still loading.
 */
export function withDeadline(data: Record<string, unknown>, pending: Deferred[], signal: AbortSignal): Record<string, unknown> {
  const deadline = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))
  deadline.catch(() => {})
  return { ...data, ...Object.fromEntries(pending.map(({ key, promise }) => [key, track(Promise.race([promise, deadline]))])) }
}

/** Waits for a deferred value, but not past `signal` (the render timeout): then it is an error. */
export async function settleWithin(promise: Promise<unknown>, signal: AbortSignal, expose: boolean): Promise<Settled> {
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason)
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
  try {
    return { value: await Promise.race([promise, aborted]) }
  } catch (reason) {
    return { error: errorMessage(reason, expose) }
  }
}
