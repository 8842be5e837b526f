import type { Db } from '#shared/db'
import { BackoffCeiling } from './backoff-ceiling.server.ts'
import { DAY, fixedWindow, MINUTE, type Attempt } from './rate-limits.server.ts'

/** Who is trying: the client address, the email, and the id of a device cookie of that email's user, if sent. */
export interface LoginAttemptBy {
  address: string
  email: string
  device?: string
}

const perAddress = fixedWindow('login-address', 5, MINUTE)
const perEmailAndAddress = fixedWindow('login-email-address', 5, 15 * MINUTE)
const perDevice = fixedWindow('login-device', 5, 15 * MINUTE)
const perEmail = new BackoffCeiling({
  name: 'login-email',
  limit: 50,
  windowMs: DAY,
  firstHoldMs: 15 * MINUTE,
  longestHoldMs: DAY,
  forgetAfterMs: DAY,
  hint: ', or from a browser you have logged in with before',
})

/**
 * The login limits (decision 007): failures count per (email, address), not per email, so
 * strangers cannot lock an owner out; a much higher per-email ceiling with backoff bounds a
 * spread-out attack; a device cookie from an earlier good login is held by its own failures
 * only. Every attempt from an address counts against that address whatever the email. The
 * counters are in the database: the limits hold across every process and host.
 * @example const attempt = await loginLimits(db).start({ address, email }); await check(); await attempt.succeeded()
 */
export function loginLimits(db: Db) {
  return {
    /** Counts an attempt before the password is checked (so parallel guesses count too); 429 past a limit. */
    async start({ address, email, device }: LoginAttemptBy): Promise<Attempt> {
      await perAddress.take(db, address)
      if (device) {
        await perDevice.take(db, device)
        return { succeeded: () => perDevice.reset(db, device) }
      }
      const pair = `${address} ${email}`
      await perEmail.take(db, email)
      try {
        await perEmailAndAddress.take(db, pair)
      } catch (err) {
        await perEmail.giveBack(db, email)
        throw err
      }
      return {
        // The owner proved themselves from this address; the email's ceiling only gets this attempt back.
        async succeeded() {
          await perEmailAndAddress.reset(db, pair)
          await perEmail.giveBack(db, email)
        },
      }
    },

    /**
     * The owner proved the mailbox is theirs (a password reset): the failures that led them to it
     * no longer hold them, from any address (they were guesses at a password that is gone), and
     * the email's hold ends, its length remembered so a guesser who goes on is held longer. An
     * attacker cannot call this without the mailbox; the per-address limit is left as it is.
     */
    async ownerProven(email: string): Promise<void> {
      await perEmailAndAddress.resetEndingIn(db, email)
      await perEmail.release(db, email)
    },
  }
}
