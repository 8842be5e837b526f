import { BackoffCeiling } from './backoff-ceiling.server.ts'
import { DAY, fixedWindow, MINUTE, type Attempt } from './rate-limits.server.ts'

/** Who is trying: the client address, the email, and the id of a device cookie of that email's user, if sent. */
export interface LoginAttemptBy {
  address: string
  email: string
  device?: string
}

/**
 * The login limits (decision 007): failures count per (email, address), not per email, so
 * strangers cannot lock an owner out; a much higher per-email ceiling with backoff bounds a
 * spread-out attack; a device cookie from an earlier good login is held by its own failures
 * only. Every attempt from an address counts against that address whatever the email.
 * @example const attempt = loginLimits.start({ address, email }); await check(); attempt.succeeded()
 */
export function createLoginLimits() {
  const perAddress = fixedWindow(5, MINUTE)
  const perEmailAndAddress = fixedWindow(5, 15 * MINUTE)
  const perDevice = fixedWindow(5, 15 * MINUTE)
  const perEmail = new BackoffCeiling({
    limit: 50,
    windowMs: DAY,
    firstHoldMs: 15 * MINUTE,
    longestHoldMs: DAY,
    forgetAfterMs: DAY,
    maxKeys: 100_000,
    hint: ', or from a browser you have logged in with before',
  })

  return {
    /** Counts an attempt before the password is checked (so parallel guesses count too); 429 past a limit. */
    start({ address, email, device }: LoginAttemptBy): Attempt {
      perAddress.take(address)
      if (device) {
        perDevice.take(device)
        return { succeeded: () => perDevice.reset(device) }
      }
      const pair = `${address} ${email}`
      perEmail.take(email)
      try {
        perEmailAndAddress.take(pair)
      } catch (err) {
        perEmail.giveBack(email)
        throw err
      }
      return {
        // The owner proved themselves from this address; the email's ceiling only gets this attempt back.
        succeeded() {
          perEmailAndAddress.reset(pair)
          perEmail.giveBack(email)
        },
      }
    },
  }
}

/** This process's login limits. */
export const loginLimits = createLoginLimits()
