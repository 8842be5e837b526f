import { z } from 'zod'
import type { DomainContext } from '#shared/domain'
import { enqueueJob, type JobHandlers } from '#shared/jobs'
import { leaveNotification, refundCancelledOrder } from './orders.server.ts'
import { gatewayOf } from './payments.server.ts'
import { expirePendingOrder } from './place-order.server.ts'
import './job-types.ts'

const orderPayload = z.object({ orderId: z.number().int() })
const notifyPayload = z.object({ userId: z.number().int(), orderId: z.number().int().nullable(), message: z.string() })

/**
 * The orders' background work, run by the platform's job worker. Each handler may run again after
 * a crash (a job is claimed, not yet marked done): both are written to be harmless when repeated.
 */
export function orderJobs({ db, config, log }: DomainContext) {
  const gateway = gatewayOf(config)
  return {
    /** Ships a paid order (here: marks it fulfilled) and tells its owner. A cancelled one stays so. */
    async 'fulfil-order'(payload: unknown) {
      const { orderId } = orderPayload.parse(payload)
      await db.transaction().execute(async (trx) => {
        const order = await trx
          .updateTable('orders')
          .set({ status: 'fulfilled', updated_at: Date.now() })
          .where('id', '=', orderId)
          .where('status', '=', 'paid')
          .returning('user_id')
          .executeTakeFirst()
        if (order) await enqueueJob(trx, 'notify', { userId: order.user_id, orderId, message: `Order #${orderId} has shipped.` })
      })
    },
    /** Undoes an order left pending (stock and cart given back) and refunds a charge it lost; a paid one is untouched. */
    async 'expire-pending-order'(payload: unknown) {
      const { orderId } = orderPayload.parse(payload)
      const { refunded } = await expirePendingOrder(db, gateway, orderId)
      if (refunded) log.warn('refunded the charge of an order never marked paid', { orderId, paymentId: refunded })
    },
    /** Refunds an order its owner cancelled, and tells them. */
    async 'refund-order'(payload: unknown, job: { id: number }) {
      await refundCancelledOrder(db, gateway, orderPayload.parse(payload).orderId, job.id)
    },
    /** Leaves a message for the shopper's dashboard (once per job, even if the job runs twice). */
    async notify(payload: unknown, job: { id: number }) {
      await leaveNotification(db, job.id, notifyPayload.parse(payload))
    },
  } satisfies JobHandlers
}
