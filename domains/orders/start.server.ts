import type { DomainContext } from '#shared/domain'
import { purgeUnreachableVisitorCarts } from './cart.server.ts'
import { VISITOR_CART_LIFETIME_MS } from './cart-cookie.server.ts'

const PURGE_EVERY_MS = 60 * 60 * 1000

/**
 * At start-up: a warning when production takes orders through the fake payment gateway, and an
 * hourly purge of visitors' carts no cookie can reach any more (without it, every visitor who
 * once added something, a bot's too, kept a cart forever).
 */
export async function startOrders({ db, config, log }: DomainContext): Promise<() => void> {
  if (config.NODE_ENV === 'production' && config.PAYMENT_GATEWAY === 'fake') {
    log.warn(
      'PAYMENT_GATEWAY is fake: every card but 4000 0000 0000 0002 is "charged" and no money moves (a real provider implements PaymentGateway: domains/orders/payments.server.ts)',
    )
  }
  const purge = async () => {
    const purged = await purgeUnreachableVisitorCarts(db, Date.now() - VISITOR_CART_LIFETIME_MS)
    if (purged) log.info('expired visitor carts purged', { count: purged })
  }
  await purge()
  const timer = setInterval(() => void purge().catch((err) => log.error('cart purge failed', { err })), PURGE_EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}
