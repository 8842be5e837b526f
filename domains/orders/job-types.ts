/**
 * The orders' background jobs, each with the payload it is queued with (`enqueueJob` checks both
 * at compile time); handled in jobs.server.ts.
 */
declare module '#shared/jobs' {
  interface Jobs {
    /** Ships a paid order. */
    'fulfil-order': { orderId: number }
    /** Undoes an order left pending past its payment's time. */
    'expire-pending-order': { orderId: number }
    /** Refunds an order its owner cancelled. */
    'refund-order': { orderId: number }
    /** A message on the shopper's dashboard. */
    notify: { userId: number; orderId: number | null; message: string }
  }
}

export {}
