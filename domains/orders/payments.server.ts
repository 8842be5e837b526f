import { randomUUID } from 'node:crypto'
import type { Config } from '#shared/config'

/**
 * Attempts of a job that needs the gateway (a refund, undoing an order never marked paid): tried
 * until it goes through, past the first minutes every 10 minutes (the queue's backoff), for about
 * a week; only then does the job fail, logged for an operator. The queue's default 8 attempts gave
 * up after 2 minutes of a gateway's outage, leaving a charge unrefunded, an order pending.
 */
export const GATEWAY_JOB_ATTEMPTS = 1000

export interface Charge {
  amountCents: number
  currency: string
  card: { number: string; expMonth: number; expYear: number; cvc: string }
  /** Ours, so the provider can refuse a duplicate charge. */
  reference: string
}

export type ChargeResult = { ok: true; id: string } | { ok: false; reason: string }

/** A payment provider. A real one is added beside the fake, and named in PAYMENT_GATEWAY. */
export interface PaymentGateway {
  charge(charge: Charge): Promise<ChargeResult>
  /** Gives a charge's money back; for a charge already refunded, does nothing (a refund may be retried). */
  refund(paymentId: string): Promise<void>
  /**
   * The id of the charge made with this reference and not refunded, or null: how the expiry of an
   * order finds a payment whose outcome was never written (a real provider: by the reference it
   * was sent with, e.g. Stripe's idempotency key or metadata search).
   */
  findCharge(reference: string): Promise<string | null>
}

const DECLINED = '4000000000000002'

/** The fake's memory of its charges, newest last: bounded, so a long-running store does not grow it forever. */
const FAKE_CHARGES_KEPT = 100_000

/**
 * The built-in fake: `4000 0000 0000 0002` is declined, every other number that passed the Luhn
 * check (like `4242 4242 4242 4242`) is charged. It answers a little later, as a real one would,
 * and remembers its charges by reference in this process (not across processes or restarts).
 */
export function createFakeGateway(): PaymentGateway {
  const charges = new Map<string, string>() // reference → id, while not refunded
  const references = new Map<string, string>() // id → reference
  const forget = (id: string) => {
    charges.delete(references.get(id) ?? '')
    references.delete(id)
  }
  return {
    async charge({ card, reference }) {
      await new Promise((resolve) => setTimeout(resolve, 5))
      if (card.number === DECLINED) return { ok: false, reason: 'Your card was declined.' }
      const id = `fake_${randomUUID()}`
      charges.set(reference, id)
      references.set(id, reference)
      if (references.size > FAKE_CHARGES_KEPT) forget(references.keys().next().value!)
      return { ok: true, id }
    },
    async refund(paymentId) {
      forget(paymentId)
    },
    async findCharge(reference) {
      return charges.get(reference) ?? null
    },
  }
}

export const fakeGateway = createFakeGateway()

const gateways = { fake: fakeGateway } satisfies Record<Config['PAYMENT_GATEWAY'], PaymentGateway>

/** The gateway the configuration names (PAYMENT_GATEWAY): chosen here, once, for every charge and refund. */
export const gatewayOf = (config: Pick<Config, 'PAYMENT_GATEWAY'>): PaymentGateway => gateways[config.PAYMENT_GATEWAY]
