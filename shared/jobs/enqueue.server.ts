import type { Kysely, Transaction } from 'kysely'
import type { Database } from '#shared/db'
import { currentTraceContext } from '#shared/tracing'
import { type Jobs, refuseUnhandledJobType } from './job-types.ts'
import { queueNow } from './queue-clock.server.ts'

export interface EnqueueOptions {
  /** When the job becomes due, milliseconds since the epoch on the queue's clock (`queueNow`); now by default. */
  runAt?: number
  /** Or: due this long from now (on the queue's clock, the database's on PostgreSQL: not this host's). */
  delayMs?: number
  /** Attempts before the job is marked `failed`; 8 by default (about 2 minutes of backoff in all). */
  maxAttempts?: number
}

const defaultMaxAttempts = 8

/**
 * Queues a job of a type a domain declares (`Jobs`, with its payload's type) and handles. Pass the caller's transaction: the job then commits, or rolls back, with the
 * change that asked for it, so a crash right after the commit loses nothing. The payload is
 * stored as JSON: the handler receives `JSON.parse(JSON.stringify(payload))` (dates become strings).
 * Resolves to the job's id.
 * @example
 * await db.transaction().execute(async (trx) => {
 *   const orderId = await insertOrder(trx, cart)
 *   await enqueueJob(trx, 'fulfil-order', { orderId })
 * })
 */
export function enqueueJob<Type extends keyof Jobs & string>(
  executor: Kysely<Database> | Transaction<Database>,
  type: Type,
  payload: Jobs[Type],
  options: EnqueueOptions = {},
): Promise<number> {
  return enqueueAnyJob(executor, type, payload, options)
}

/** `enqueueJob` for any type, its payload untyped: for the queue's own tests, whose types no domain declares. */
export async function enqueueAnyJob(
  executor: Kysely<Database> | Transaction<Database>,
  type: string,
  payload: unknown,
  { runAt, delayMs = 0, maxAttempts = defaultMaxAttempts }: EnqueueOptions = {},
): Promise<number> {
  if (!type) throw new TypeError('enqueueJob: the job type must not be empty')
  refuseUnhandledJobType(type)
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`enqueueJob: maxAttempts must be a whole number ≥ 1, got ${maxAttempts}`)
  if (runAt !== undefined && !Number.isFinite(runAt)) throw new RangeError(`enqueueJob: runAt must be a finite number of milliseconds, got ${runAt}`)
  const json = JSON.stringify(payload ?? null) as string | undefined
  // JSON.stringify answers undefined for a function or a symbol: storing "null" would lose it silently.
  if (json === undefined) throw new TypeError(`enqueueJob: the payload of a "${type}" job is not JSON-serialisable`)
  const now = queueNow(executor)
  const { id } = await executor
    .insertInto('tessera_jobs')
    .values({
      type,
      payload: json,
      status: 'pending',
      attempts: 0,
      max_attempts: maxAttempts,
      run_at: runAt ?? now + delayMs,
      created_at: now,
      updated_at: now,
      trace_context: currentTraceContext() ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}
