import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDialect } from '#shared/db'
import { loadConfig } from '#shared/config'
import { createLogger } from '#shared/log'
import { createTestApp } from '../../tests/support/test-app.ts'
import { findCartId, mergeCarts, readCart } from './cart.server.ts'
import { orderJobs } from './jobs.server.ts'
import { hasPurchased, refundCancelledOrder } from './orders.server.ts'
import { createFakeGateway, fakeGateway, type PaymentGateway } from './payments.server.ts'
import { expirePendingOrder, placeOrder } from './place-order.server.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  testApp = await createTestApp()
})
afterAll(() => testApp.close())

/** An order as trx 1 of a checkout leaves it: stock taken, status pending, payment unknown. */
async function orderLeftBy(status: 'pending' | 'paid') {
  const { db } = testApp
  await db.updateTable('products').set({ stock: 3 }).where('id', '=', 40).execute()
  const user = await db
    .insertInto('users')
    .values({ email: `u${Math.random()}@example.com`, name: 'U', password_hash: 'x', created_at: 0, updated_at: 0 })
    .returning('id')
    .executeTakeFirstOrThrow()
  const id = await orderOfLines(user.id, status, [40])
  await db.updateTable('products').set({ stock: 1 }).where('id', '=', 40).execute()
  return id
}

/** An order of `userId`, as a checkout writes it: two of each product, in this order in its table. */
async function orderOfLines(userId: number, status: 'pending' | 'paid', productIds: number[]) {
  const { db } = testApp
  const { id } = await db
    .insertInto('orders')
    .values({
      user_id: userId,
      status,
      total_cents: 100,
      currency: 'USD',
      shipping: '{}',
      payment_ref: null,
      idempotency_key: null,
      created_at: 0,
      updated_at: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const product_id of productIds)
    await db.insertInto('order_lines').values({ order_id: id, product_id, name: 'X', quantity: 2, price_cents: 50 }).execute()
  return id
}
const stock = async () => (await testApp.db.selectFrom('products').select('stock').where('id', '=', 40).executeTakeFirstOrThrow()).stock

const card = { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' }
const input = { shipping: { name: 'A', line1: '1 Road', city: 'Town', postalCode: '12345', country: 'GB' }, card }
const orderOf = (id: number) => testApp.db.selectFrom('orders').select(['status']).where('id', '=', id).executeTakeFirst()
/** The gateway charged order `id` (its reference), as if the request's process then died. */
const chargedFor = async (gateway: PaymentGateway, id: number) => {
  const charge = await gateway.charge({ amountCents: 100, currency: 'USD', card, reference: `order-${id}` })
  if (!charge.ok) throw new Error('the test card was declined')
  return charge.id
}

/** A new shopper whose cart holds one of `productId`, of which 3 are in stock. */
async function shopperWithCart(productId: number) {
  const { db } = testApp
  await db.updateTable('products').set({ stock: 3 }).where('id', '=', productId).execute()
  const user = await db
    .insertInto('users')
    .values({ email: `shopper${Math.random()}@example.com`, name: 'U', password_hash: 'x', created_at: 0, updated_at: 0 })
    .returning('id')
    .executeTakeFirstOrThrow()
  const cartId = (await findCartId(db, { userId: user.id }, true))!
  await db.insertInto('cart_items').values({ cart_id: cartId, product_id: productId, quantity: 1 }).execute()
  return { userId: user.id, cartId }
}

describe('an order left pending by a crash', () => {
  it('is deleted, its stock and its lines given back (to what the cart holds now) when its expiry job runs', async () => {
    const id = await orderLeftBy('pending')
    const { user_id } = await testApp.db.selectFrom('orders').select('user_id').where('id', '=', id).executeTakeFirstOrThrow()
    const cartId = (await findCartId(testApp.db, { userId: user_id }, true))!
    await testApp.db.insertInto('cart_items').values({ cart_id: cartId, product_id: 40, quantity: 1 }).execute()
    expect(await expirePendingOrder(testApp.db, createFakeGateway(), id)).toEqual({ undone: true, refunded: null })
    expect(await stock()).toBe(3)
    expect(await orderOf(id)).toBeUndefined()
    expect((await readCart(testApp.db, cartId)).items).toEqual([expect.objectContaining({ productId: 40, quantity: 3 })])
    expect(await expirePendingOrder(testApp.db, createFakeGateway(), id)).toEqual({ undone: false, refunded: null }) // the job ran twice: nothing more
    expect(await stock()).toBe(3)
  })

  it('is left alone once paid, and so is its charge', async () => {
    const id = await orderLeftBy('paid')
    const gateway = createFakeGateway()
    const paymentId = await chargedFor(gateway, id)
    expect(await expirePendingOrder(testApp.db, gateway, id)).toEqual({ undone: false, refunded: null })
    expect(await stock()).toBe(1)
    expect(await orderOf(id)).toEqual({ status: 'paid' })
    expect(await gateway.findCharge(`order-${id}`)).toBe(paymentId)
  })

  it('has its charge refunded when the card was charged but the order never marked paid', async () => {
    const id = await orderLeftBy('pending')
    const gateway = createFakeGateway()
    const paymentId = await chargedFor(gateway, id)
    expect(await expirePendingOrder(testApp.db, gateway, id)).toEqual({ undone: true, refunded: paymentId })
    expect(await gateway.findCharge(`order-${id}`)).toBeNull()
    expect(await stock()).toBe(3)
    expect(await orderOf(id)).toBeUndefined()
    expect(await expirePendingOrder(testApp.db, gateway, id)).toEqual({ undone: false, refunded: null }) // once
  })

  it('with the gateway down at expiry: undone now, the charge refunded when the job runs again', async () => {
    const id = await orderLeftBy('pending')
    const gateway = createFakeGateway()
    const paymentId = await chargedFor(gateway, id)
    const down: PaymentGateway = { ...gateway, findCharge: async () => Promise.reject(new Error('gateway unreachable')) }
    await expect(expirePendingOrder(testApp.db, down, id)).rejects.toThrow('gateway unreachable') // the job fails: retried
    expect(await orderOf(id)).toBeUndefined() // no longer payable
    expect(await stock()).toBe(3)
    expect(await expirePendingOrder(testApp.db, gateway, id)).toEqual({ undone: false, refunded: paymentId })
    expect(await gateway.findCharge(`order-${id}`)).toBeNull()
  })

  it('is undone before its charge is looked for: the request’s late “paid” finds nothing to mark, never a paid order refunded', async () => {
    const id = await orderLeftBy('pending')
    const gateway = createFakeGateway()
    const paymentId = await chargedFor(gateway, id)
    let markedPaid: bigint | undefined
    const racing: PaymentGateway = {
      ...gateway,
      // The request that charged writes its outcome just as the expiry asks the gateway.
      findCharge: async (reference) => {
        const paid = await testApp.db.updateTable('orders').set({ status: 'paid' }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst()
        markedPaid = paid.numUpdatedRows
        return gateway.findCharge(reference)
      },
    }
    expect(await expirePendingOrder(testApp.db, racing, id)).toEqual({ undone: true, refunded: paymentId })
    expect(markedPaid).toBe(0n) // the request then refunds too (409 order_expired): a refund again does nothing
    expect(await orderOf(id)).toBeUndefined()
  })

  it('is refunded by the orders’ job, which says so in the log', async () => {
    const id = await orderLeftBy('pending')
    const paymentId = await chargedFor(fakeGateway, id) // the gateway PAYMENT_GATEWAY names
    const lines: string[] = []
    const log = createLogger({ level: 'debug', format: 'json', write: (line) => lines.push(line) })
    const jobs = orderJobs({ db: testApp.db, config: loadConfig({ NODE_ENV: 'test', PAYMENT_GATEWAY: 'fake' }), log })
    await jobs['expire-pending-order']({ orderId: id })
    expect(await fakeGateway.findCharge(`order-${id}`)).toBeNull()
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'refunded the charge of an order never marked paid', orderId: id, paymentId }),
    ])
  })
})

describe('a payment that outlives its order', () => {
  it('is refunded when the order expired meanwhile (409 order_expired): no order, stock and cart given back', async () => {
    const { db } = testApp
    const { userId, cartId } = await shopperWithCart(41)
    const refunds: string[] = []
    // A gateway so slow that the order's expiry job runs before it answers.
    const gateway: PaymentGateway = {
      async charge({ reference }) {
        await expirePendingOrder(db, gateway, Number(reference.replace('order-', '')))
        return { ok: true, id: 'late_charge' }
      },
      async refund(id) {
        refunds.push(id)
      },
      findCharge: async () => null, // not charged yet when the expiry asks
    }
    await expect(placeOrder(db, { userId, cartId, input, gateway, fulfilAfterMs: 60_000 })).rejects.toMatchObject({
      status: 409,
      code: 'order_expired',
    })
    expect(refunds).toEqual(['late_charge'])
    expect(await db.selectFrom('orders').select('id').where('user_id', '=', userId).execute()).toEqual([])
    expect((await db.selectFrom('products').select('stock').where('id', '=', 41).executeTakeFirstOrThrow()).stock).toBe(3)
    expect((await readCart(db, cartId)).count).toBe(1)
  })

  it('is refunded at expiry when the charge call failed (taken as a decline) after the card was in fact charged', async () => {
    const { db } = testApp
    const { userId, cartId } = await shopperWithCart(42)
    const fake = createFakeGateway()
    // Charged, then the answer is lost (a timeout).
    const gateway: PaymentGateway = {
      ...fake,
      charge: async (charge) => {
        await fake.charge(charge)
        throw new Error('read ETIMEDOUT')
      },
    }
    await expect(placeOrder(db, { userId, cartId, input, gateway, fulfilAfterMs: 60_000 })).rejects.toMatchObject({
      status: 402,
      code: 'payment_declined',
      message: 'The payment could not be completed. Should your card show a charge, it is refunded within 15 minutes.',
    })
    expect((await readCart(db, cartId)).count).toBe(1) // the shopper has the cart back at once
    const job = await db
      .selectFrom('tessera_jobs')
      .select(['payload', 'max_attempts'])
      .where('type', '=', 'expire-pending-order')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    // Tried through a long outage of the gateway or the database, not the queue's default 2 minutes.
    expect(job.max_attempts).toBeGreaterThanOrEqual(1000)
    const { orderId } = JSON.parse(job.payload) as { orderId: number }
    const paymentId = await fake.findCharge(`order-${orderId}`)
    expect(paymentId).not.toBeNull()
    expect(await expirePendingOrder(db, gateway, orderId)).toEqual({ undone: false, refunded: paymentId })
    expect(await fake.findCharge(`order-${orderId}`)).toBeNull()
  })
})

describe('a payment whose order the database cannot mark paid at once', () => {
  /** The test database, whose transactions after the card is charged fail as `failures` say, one each. */
  function unavailableAfterCharge(failures: ('locked' | 'cut-after-commit')[]) {
    const { db } = testApp
    const fake = createFakeGateway()
    let charged = false
    const gateway: PaymentGateway = {
      ...fake,
      charge: async (charge) => {
        charged = true
        return fake.charge(charge)
      },
    }
    const flaky = new Proxy(db, {
      get(target, key) {
        const failure = key === 'transaction' && charged ? failures.shift() : undefined
        if (failure === 'locked') return () => ({ execute: () => Promise.reject(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })) })
        if (failure === 'cut-after-commit')
          return () => ({
            execute: async (work: Parameters<ReturnType<typeof db.transaction>['execute']>[0]) => {
              await target.transaction().execute(work) // committed, and its answer lost with the connection
              throw new Error('Connection terminated unexpectedly')
            },
          })
        const value: unknown = Reflect.get(target, key, target)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    return { db: flaky, gateway, fake }
  }

  it('keeps trying while the database is locked or away, and answers with the paid order, never a refund', async () => {
    const { userId, cartId } = await shopperWithCart(43)
    const { db, gateway, fake } = unavailableAfterCharge(['locked', 'locked'])
    const { order } = await placeOrder(db, { userId, cartId, input, gateway, fulfilAfterMs: 60_000 })
    expect(order.status).toBe('paid')
    expect(await fake.findCharge(`order-${order.id}`)).not.toBeNull()
  })

  it('takes a try that committed but lost its answer for done: paid, not refunded as expired', async () => {
    const { userId, cartId } = await shopperWithCart(44)
    const { db, gateway, fake } = unavailableAfterCharge(['cut-after-commit'])
    const { order } = await placeOrder(db, { userId, cartId, input, gateway, fulfilAfterMs: 60_000 })
    expect(order.status).toBe('paid')
    expect(await fake.findCharge(`order-${order.id}`)).not.toBeNull()
    const jobs = await testApp.db.selectFrom('tessera_jobs').select(['type', 'payload']).execute()
    const its = jobs.filter((job) => (JSON.parse(job.payload) as { orderId?: number }).orderId === order.id)
    expect(its.map((job) => job.type).sort()).toEqual(['expire-pending-order', 'fulfil-order', 'notify']) // queued once
  })
})

// PostgreSQL only: on SQLite a transaction holds the write lock, and a checkout waits for it whole.
describe.skipIf(testDialect !== 'postgres')('a checkout while another request changes the cart', () => {
  it('takes only what it read: a line added or raised meanwhile stays in the cart', async () => {
    const { userId, cartId } = await shopperWithCart(45)
    await testApp.db.updateTable('products').set({ stock: 5 }).where('id', 'in', [45, 46]).execute()
    let commit!: () => void
    let changed!: () => void
    const changing = new Promise<void>((resolve) => (changed = resolve))
    // Another tab: one more of the line the checkout takes, and a new line; committed only once
    // the checkout has read the cart and waits for that line.
    const otherTab = testApp.db.transaction().execute(async (trx) => {
      await trx.updateTable('cart_items').set({ quantity: 2 }).where('cart_id', '=', cartId).where('product_id', '=', 45).execute()
      await trx.insertInto('cart_items').values({ cart_id: cartId, product_id: 46, quantity: 1 }).execute()
      changed()
      await new Promise<void>((resolve) => (commit = resolve))
    })
    await changing
    const checkout = placeOrder(testApp.db, { userId, cartId, input, gateway: fakeGateway, fulfilAfterMs: 60_000 })
    await untilSomeoneWaitsForALock()
    commit()
    await otherTab
    const { order } = await checkout
    expect(order.items.map((line) => [line.productId, line.quantity])).toEqual([[45, 1]])
    const left = (await readCart(testApp.db, cartId)).items.map((line) => [line.productId, line.quantity]).sort()
    expect(left).toEqual([
      [45, 1],
      [46, 1],
    ])
  })
})

describe.skipIf(testDialect !== 'postgres')('a visitor cart merged by requests at the same moment', () => {
  it('adds its lines to the account’s cart once', async () => {
    const { db } = testApp
    const { cartId: into } = await shopperWithCart(47)
    const from = (await findCartId(db, { tokenHash: `visitor-${Math.random()}` }, true))!
    await db.insertInto('cart_items').values({ cart_id: from, product_id: 48, quantity: 3 }).execute()
    let release!: () => void
    let held!: () => void
    const holding = new Promise<void>((resolve) => (held = resolve))
    // Something else holds the visitor cart's row a moment (the merges queue behind it, together).
    const hold = db.transaction().execute(async (trx) => {
      await trx.updateTable('carts').set({ updated_at: 1 }).where('id', '=', from).execute()
      held()
      await new Promise<void>((resolve) => (release = resolve))
    })
    await holding
    const merges = [mergeCarts(db, from, into), mergeCarts(db, from, into)]
    await untilSomeoneWaitsForALock(2)
    release()
    await hold
    await Promise.all(merges)
    const lines = (await readCart(db, into)).items.map((line) => [line.productId, line.quantity]).sort()
    expect(lines).toEqual([
      [47, 1],
      [48, 3],
    ])
  })
})

describe.skipIf(testDialect !== 'postgres')('an order undone while another request writes the same cart', () => {
  it('gives its lines back in product order: a merge writing those lines at once waits for it, no deadlock', async () => {
    const { db } = testApp
    const { userId, cartId } = await shopperWithCart(49)
    await db.updateTable('products').set({ stock: 5 }).where('id', 'in', [51, 52]).execute()
    // Its lines in the heap as an order placed before carts were read in order kept them: 52, then 51.
    const id = await orderOfLines(userId, 'pending', [52, 51])
    let goOn!: () => void
    let wrote!: () => void
    const writing = new Promise<void>((resolve) => (wrote = resolve))
    // Another request (a visitor cart merged in at sign-in) writes lines 51 and 52 of this cart, in product order.
    const addOne = (trx: typeof db, product_id: number) =>
      trx
        .insertInto('cart_items')
        .values({ cart_id: cartId, product_id, quantity: 1 })
        .onConflict((conflict) => conflict.columns(['cart_id', 'product_id']).doUpdateSet((eb) => ({ quantity: eb('cart_items.quantity', '+', 1) })))
        .execute()
    const merge = db.transaction().execute(async (trx) => {
      await addOne(trx, 51)
      wrote()
      await new Promise<void>((resolve) => (goOn = resolve))
      await addOne(trx, 52)
    })
    await writing
    const expiry = expirePendingOrder(db, createFakeGateway(), id)
    await untilSomeoneWaitsForALock()
    goOn()
    expect(await Promise.allSettled([merge, expiry])).toEqual([
      { status: 'fulfilled', value: undefined },
      { status: 'fulfilled', value: { undone: true, refunded: null } },
    ])
    expect((await readCart(db, cartId)).items.map((line) => [line.productId, line.quantity])).toEqual([
      [49, 1],
      [51, 3],
      [52, 3],
    ])
  })
})

describe.skipIf(testDialect !== 'postgres')('a checkout while an order of the same shopper is undone', () => {
  it('takes the stock before the cart lines, as an undo gives them back: one waits for the other, no deadlock', async () => {
    const { db } = testApp
    const { userId, cartId } = await shopperWithCart(55)
    await db.updateTable('products').set({ stock: 5 }).where('id', 'in', [55, 56]).execute()
    await db.insertInto('cart_items').values({ cart_id: cartId, product_id: 56, quantity: 1 }).execute()
    // An earlier order of 55, declined: undone as the checkout runs.
    const id = await orderOfLines(userId, 'pending', [55])
    let rollBack!: () => void
    let changed!: () => void
    const changing = new Promise<void>((resolve) => (changed = resolve))
    // Another tab changing line 56, then thinking better of it: the checkout waits for it there.
    const otherTab = db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('cart_items').set({ quantity: 2 }).where('cart_id', '=', cartId).where('product_id', '=', 56).execute()
        changed()
        await new Promise<void>((resolve) => (rollBack = resolve))
        throw new Error('rolled back')
      })
      .catch(() => undefined)
    await changing
    const checkout = placeOrder(db, { userId, cartId, input, gateway: fakeGateway, fulfilAfterMs: 60_000 })
    await untilSomeoneWaitsForALock()
    const expiry = expirePendingOrder(db, createFakeGateway(), id)
    await untilSomeoneWaitsForALock(2)
    rollBack()
    await otherTab
    const [placed, undone] = await Promise.allSettled([checkout, expiry])
    expect(undone).toEqual({ status: 'fulfilled', value: { undone: true, refunded: null } })
    expect(placed.status === 'fulfilled' && placed.value.order.items.map((line) => [line.productId, line.quantity])).toEqual([
      [55, 1],
      [56, 1],
    ])
    expect((await readCart(db, cartId)).items.map((line) => [line.productId, line.quantity])).toEqual([[55, 2]])
  })
})

/** PostgreSQL: until a connection waits for a row or table lock another holds. */
async function untilSomeoneWaitsForALock(waiting = 1): Promise<void> {
  await expect
    .poll(async () => (await sql<{ n: number }>`select count(*)::int as n from pg_locks where not granted`.execute(testApp.db)).rows[0]?.n, {
      timeout: 5_000,
      interval: 5,
    })
    .toBeGreaterThanOrEqual(waiting)
}

describe('a cancelled order', () => {
  const JOB_ID = 900_000_001 // the refund job's, under which its notification is kept
  const messagesOf = async (orderId: number) =>
    (await testApp.db.selectFrom('notifications').select(['id', 'message']).where('order_id', '=', orderId).execute()).map((row) => row.message)

  it('is refunded by its job, its owner told once; with the gateway down the job fails, and refunds when it runs again', async () => {
    const id = await orderLeftBy('paid')
    const gateway = createFakeGateway()
    const paymentId = await chargedFor(gateway, id)
    await testApp.db.updateTable('orders').set({ status: 'cancelled', payment_ref: paymentId }).where('id', '=', id).execute()
    const down: PaymentGateway = { ...gateway, refund: async () => Promise.reject(new Error('gateway unreachable')) }
    await expect(refundCancelledOrder(testApp.db, down, id, JOB_ID)).rejects.toThrow('gateway unreachable')
    expect(await gateway.findCharge(`order-${id}`)).toBe(paymentId)
    expect(await messagesOf(id)).toEqual([]) // not told of a refund not made
    await refundCancelledOrder(testApp.db, gateway, id, JOB_ID)
    await refundCancelledOrder(testApp.db, gateway, id, JOB_ID) // the job ran twice
    expect(await gateway.findCharge(`order-${id}`)).toBeNull()
    expect(await messagesOf(id)).toEqual([`Order #${id} was cancelled and refunded.`])
  })

  it('is the only kind a refund job refunds: a paid order keeps its charge', async () => {
    const id = await orderLeftBy('paid')
    const gateway = createFakeGateway()
    const paymentId = await chargedFor(gateway, id)
    await testApp.db.updateTable('orders').set({ payment_ref: paymentId }).where('id', '=', id).execute()
    await refundCancelledOrder(testApp.db, gateway, id, JOB_ID + 1)
    expect(await gateway.findCharge(`order-${id}`)).toBe(paymentId)
    expect(await messagesOf(id)).toEqual([])
  })
})

describe('the fake gateway', () => {
  it('finds a charge by its reference until it is refunded; a declined card charges nothing; a refund again does nothing', async () => {
    const gateway = createFakeGateway()
    const charge = await gateway.charge({ amountCents: 100, currency: 'USD', card, reference: 'order-1' })
    if (!charge.ok) throw new Error('declined')
    expect(await gateway.findCharge('order-1')).toBe(charge.id)
    expect(await gateway.charge({ amountCents: 100, currency: 'USD', card: { ...card, number: '4000000000000002' }, reference: 'order-2' })).toEqual({
      ok: false,
      reason: 'Your card was declined.',
    })
    expect(await gateway.findCharge('order-2')).toBeNull()
    await gateway.refund(charge.id)
    await gateway.refund(charge.id)
    expect(await gateway.findCharge('order-1')).toBeNull()
  })
})

describe('hasPurchased', () => {
  it('is true for a paid order of the product, false for a pending one or another product', async () => {
    const paid = await orderLeftBy('paid')
    const { user_id } = await testApp.db.selectFrom('orders').select('user_id').where('id', '=', paid).executeTakeFirstOrThrow()
    expect(await hasPurchased(testApp.db, user_id, 40)).toBe(true)
    expect(await hasPurchased(testApp.db, user_id, 41)).toBe(false)
    const pending = await orderLeftBy('pending')
    const other = await testApp.db.selectFrom('orders').select('user_id').where('id', '=', pending).executeTakeFirstOrThrow()
    expect(await hasPurchased(testApp.db, other.user_id, 40)).toBe(false)
  })
})
