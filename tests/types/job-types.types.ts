/**
 * A type test, checked by `npm run typecheck`: a job is queued under a type a domain declares in
 * `#shared/jobs`' `Jobs` (orders' in domains/orders/job-types.ts), with its payload. If enqueueJob
 * took any string again, the `@ts-expect-error` lines would fail.
 */
import type { Db } from '#shared/db'
import { enqueueJob, type JobHandlers } from '#shared/jobs'

export async function jobsQueued(db: Db) {
  await enqueueJob(db, 'fulfil-order', { orderId: 1 }, { delayMs: 60_000 })
  // @ts-expect-error a misspelt type (no domain handles "fulfill-order")
  await enqueueJob(db, 'fulfill-order', { orderId: 1 })
  // @ts-expect-error a payload of another shape
  await enqueueJob(db, 'notify', { orderId: 1 })
}

export const handlers = {
  'refund-order': async () => {},
  // @ts-expect-error a handler for a type no domain declares
  'refund-orders': async () => {},
} satisfies JobHandlers
