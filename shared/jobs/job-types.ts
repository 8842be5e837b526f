/**
 * The job types the domains handle, each with the payload it is queued with: the domain that
 * handles a type declares it, by augmentation (no domain imports another), so `enqueueJob` with a
 * misspelt type, or the wrong payload, does not compile.
 * @example
 * declare module '#shared/jobs' { interface Jobs { 'fulfil-order': { orderId: number } } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface, so that domains can add to it (declaration merging)
export interface Jobs {}

/** The types this process's app handles (every domain's `jobs`); none registered: nothing is checked. */
const handled = new Set<string>()

/** Called by the app with its domains' handlers: from then on, `enqueueJob` refuses any other type. */
export function registerJobTypes(types: Iterable<string>): void {
  for (const type of types) handled.add(type)
}

/**
 * Throws for a type no domain handles: queued, it would fail every attempt at its run ("No handler
 * for job type"), a minute or more after the change that queued it had committed, or wait for a
 * handler forever if its attempts were many. The types are known once the app is made: a queue
 * used without it (its own tests) is not checked.
 */
export function refuseUnhandledJobType(type: string): void {
  if (handled.size === 0 || handled.has(type)) return
  throw new Error(
    `enqueueJob: no domain handles job type "${type}" (handled: ${[...handled].sort().join(', ')}). A domain handles a type in defineDomain({ jobs }) and declares its payload in #shared/jobs' Jobs.`,
  )
}
