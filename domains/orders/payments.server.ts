import { randomUUID } from 'node:crypto'
import type { Config } from '#shared/config'

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
  refund(paymentId: string): Promise<void>
}

const DECLINED = '4000000000000002'

/**
 * The built-in fake: `4000 0000 0000 0002` is declined, every other number that passed the Luhn
 * check (like `4242 4242 4242 4242`) is charged. It answers a little later, as a real one would.
 */
export const fakeGateway: PaymentGateway = {
  async charge({ card }) {
    await new Promise((resolve) => setTimeout(resolve, 5))
    return card.number === DECLINED ? { ok: false, reason: 'Your card was declined.' } : { ok: true, id: `fake_${randomUUID()}` }
  },
  async refund() {},
}

const gateways = { fake: fakeGateway } satisfies Record<Config['PAYMENT_GATEWAY'], PaymentGateway>

/** The gateway the configuration names (PAYMENT_GATEWAY): chosen here, once, for every charge and refund. */
export const gatewayOf = (config: Pick<Config, 'PAYMENT_GATEWAY'>): PaymentGateway => gateways[config.PAYMENT_GATEWAY]
