import type { DomainContext } from '#shared/domain'

/** At start-up: a warning when production takes orders through the fake payment gateway. */
export async function startOrders({ config, log }: DomainContext): Promise<void> {
  if (config.NODE_ENV === 'production' && config.PAYMENT_GATEWAY === 'fake') {
    log.warn(
      'PAYMENT_GATEWAY is fake: every card but 4000 0000 0000 0002 is "charged" and no money moves (a real provider implements PaymentGateway: domains/orders/payments.server.ts)',
    )
  }
}
