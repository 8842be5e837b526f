import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { databaseEnv, openDatabase, testDatabaseLocation, testDialect, writeAlone, type Db } from '#shared/db'
import { serversFor, type ServerProcess } from './support/server-process.ts'
import { logIn, signUp } from './support/sessions.ts'

const shipping = { name: 'Ada Lovelace', line1: '1 Analytical St', city: 'London', postalCode: 'N1 1AA', country: 'GB' }
const card = { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' }
const adminEnv = { ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'admin password' }

/** Tessera on `HOST`s 127.0.0.2, .3, .4 with this env: the first migrates and seeds, the others find it done (they would wait on its lock). */
async function startHosts(start: (env: Record<string, string>) => Promise<ServerProcess>, env: Record<string, string>): Promise<ServerProcess[]> {
  const hosts = [await start({ ...env, HOST: '127.0.0.2' })]
  hosts.push(...(await Promise.all(['127.0.0.3', '127.0.0.4'].map((HOST) => start({ ...env, HOST })))))
  return hosts
}

/** Shoppers, the admin and products of the store the hosts `hostsOf()` serve, made through the API as a visitor would. */
function storefront(hostsOf: () => ServerProcess[]) {
  let visitors = 0

  /** A shopper signed up on one host; `on(i)` sends their requests to host i (the load balancer's choice), or to that host. */
  async function shopper() {
    const hosts = hostsOf()
    const n = ++visitors
    const headers = (url: string) => ({ Origin: url, 'X-Forwarded-For': `10.6.${n >> 8}.${n & 255}`, 'Content-Type': 'application/json' })
    const first = hosts[n % hosts.length]!.url
    const cookie = await signUp(first, { email: `hosts-${n}-${randomUUID()}@example.com`, name: 'Ada', password: 'long enough' }, { headers: headers(first) })
    const on = (host: number | ServerProcess) => {
      const url = typeof host === 'number' ? hosts[host % hosts.length]!.url : host.url
      return (path: string, body?: unknown, extra: Record<string, string> = {}) =>
        fetch(`${url}${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: { ...headers(url), Cookie: cookie, ...extra },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
    }
    return { on, userId: ((await (await on(0)('/api/auth/me')).json()) as { user: { id: number } }).user.id }
  }

  /** The admin, signed in on host 0: `send(method, path, body)` there. */
  async function admin() {
    const url = hostsOf()[0]!.url
    const headers = { Origin: url, 'X-Forwarded-For': '10.5.0.1', 'Content-Type': 'application/json' }
    const cookie = await logIn(url, { email: adminEnv.ADMIN_EMAIL, password: adminEnv.ADMIN_PASSWORD }, { headers })
    return (method: string, path: string, body: unknown) =>
      fetch(`${url}${path}`, { method, headers: { ...headers, Cookie: cookie }, body: JSON.stringify(body) })
  }

  async function newProduct(stock: number) {
    const res = await (await admin())('POST', '/api/products', {
      name: `Numbat ${randomUUID().slice(0, 8)}`,
      description: '',
      priceCents: 900,
      stock,
      category: 'kitchen',
    })
    expect(res.status).toBe(201)
    return ((await res.json()) as { product: { id: number; slug: string } }).product
  }

  return { shopper, admin, newProduct }
}

/**
 * Three Tessera hosts (127.0.0.2, .3, .4) on one PostgreSQL, as behind a load balancer
 * (`npm run test:pg` only): what one host writes, the others serve, and what must happen once
 * happens once across them.
 */
describe.runIf(testDialect === 'postgres')('three hosts, one PostgreSQL', () => {
  const root = inject('builtRoot')
  const start = serversFor(root)
  let hosts: ServerProcess[]
  let db: Db

  const { shopper, admin, newProduct } = storefront(() => hosts)

  beforeAll(async () => {
    const location = await testDatabaseLocation(root)
    hosts = await startHosts(start, { ...databaseEnv(location), TRUST_PROXY: 'true', ...adminEnv })
    db = openDatabase(location)
  })
  afterAll(() => db?.destroy())

  it('shows a price changed on one host on the other hosts’ cached pages within a second', async () => {
    const product = await newProduct(3)
    const page = (host: number) =>
      fetch(`${hosts[host]!.url}/products/${product.slug}`).then(async (res) => ({
        cache: res.headers.get('x-cache'),
        html: (await res.text()).replaceAll('<!-- -->', ''),
      }))
    for (const host of [1, 2]) await expect.poll(async () => (await page(host)).cache, { timeout: 3000, interval: 20 }).toBe('HIT')
    const changed = await (await admin())('PATCH', `/api/products/${product.id}`, { priceCents: 1234 })
    expect(changed.status).toBe(200)
    const at = performance.now()
    for (const host of [1, 2]) await expect.poll(async () => (await page(host)).html, { timeout: 1000, interval: 20 }).toContain('$12.34')
    expect(performance.now() - at).toBeLessThan(1000)
  })

  it('counts a stranger’s failed logins over every host: five, then 429 wherever the sixth goes', async () => {
    const { on } = await shopper()
    const email = ((await (await on(0)('/api/auth/me')).json()) as { user: { email: string } }).user.email
    const statuses = []
    for (let i = 0; i < 6; i++) {
      const url = hosts[i % hosts.length]!.url
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { Origin: url, 'X-Forwarded-For': '10.4.0.9', 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: `guess ${i}` }),
      })
      statuses.push(res.status)
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
  })

  it('serves a session and a cart made on one host from every other', async () => {
    const { on } = await shopper()
    const product = await newProduct(3)
    expect((await on(0)('/api/cart/items', { productId: product.id, quantity: 2 })).status).toBe(201)
    for (const host of [1, 2]) {
      const cart = (await (await on(host)('/api/cart')).json()) as { count: number }
      expect(cart.count).toBe(2)
    }
  })

  it('never oversells: twelve buyers spread over the hosts, five in stock, five orders', async () => {
    const product = await newProduct(5)
    const buyers = await Promise.all(Array.from({ length: 12 }, () => shopper()))
    await Promise.all(buyers.map(({ on }, i) => on(i)('/api/cart/items', { productId: product.id, quantity: 1 })))
    const results = await Promise.all(buyers.map(({ on }, i) => on(i + 1)('/api/orders', { shipping, card }, { 'Idempotency-Key': randomUUID() })))
    expect(results.map((res) => res.status).sort()).toEqual([...Array(5).fill(201), ...Array(7).fill(409)])
    const { stock } = await db.selectFrom('products').select('stock').where('id', '=', product.id).executeTakeFirstOrThrow()
    expect(stock).toBe(0)
    const sold = await db
      .selectFrom('order_lines')
      .innerJoin('orders', 'orders.id', 'order_lines.order_id')
      .select((eb) => eb.fn.sum<number>('quantity').as('sold'))
      .where('product_id', '=', product.id)
      .where('orders.status', '=', 'paid')
      .executeTakeFirstOrThrow()
    expect(sold.sold).toBe(5)
  })

  it('places one order for one Idempotency-Key sent to every host at once, and one for a cart submitted to every host', async () => {
    const product = await newProduct(10)
    const { on, userId } = await shopper()
    await on(0)('/api/cart/items', { productId: product.id, quantity: 1 })
    const key = randomUUID()
    const same = await Promise.all([0, 1, 2, 0, 1, 2].map((host) => on(host)('/api/orders', { shipping, card }, { 'Idempotency-Key': key })))
    const ids = await Promise.all(
      same.map(async (res) => (res.status === 201 || res.status === 200 ? ((await res.json()) as { order: { id: number } }).order.id : res.status)),
    )
    expect(new Set(ids).size).toBe(1)
    expect(typeof ids[0]).toBe('number')

    await on(1)('/api/cart/items', { productId: product.id, quantity: 1 })
    const tabs = await Promise.all([0, 1, 2].map((host) => on(host)('/api/orders', { shipping, card }, { 'Idempotency-Key': randomUUID() })))
    expect(tabs.map((res) => res.status).sort()).toEqual([201, 400, 400])
    const orders = await db.selectFrom('orders').select('id').where('user_id', '=', userId).execute()
    expect(orders).toHaveLength(2)
  })
})

/**
 * The job queue over the hosts (`npm run test:pg` only): every host's worker polls the one
 * `tessera_jobs` table, so a job queued on one host may run on any, but runs once; a host that
 * dies holding one hands it on when its lease runs out. Hosts of their own: fulfilment half a
 * second after payment, leases of 2 s (renewed every 667 ms), polls every 50 ms.
 */
describe.runIf(testDialect === 'postgres')('background jobs over several hosts, one PostgreSQL', () => {
  const root = inject('builtRoot')
  const start = serversFor(root)
  let env: Record<string, string>
  let hosts: ServerProcess[]
  let db: Db
  const { shopper, newProduct } = storefront(() => hosts)

  beforeAll(async () => {
    const location = await testDatabaseLocation(root)
    env = { ...databaseEnv(location), TRUST_PROXY: 'true', ...adminEnv, FULFILMENT_DELAY_MS: '500', JOBS_LEASE_MS: '2000', JOBS_POLL_MS: '50' }
    hosts = await startHosts(start, env)
    db = openDatabase(location)
  })
  afterAll(() => db?.destroy())

  /** The jobs queued for these orders (their payload names the order), oldest first. */
  async function jobsOf(orderIds: number[]) {
    const ids = new Set(orderIds)
    const rows = await db.selectFrom('tessera_jobs').select(['id', 'type', 'status', 'attempts', 'payload', 'run_at']).orderBy('id').execute()
    return rows
      .map(({ payload, ...job }) => ({ ...job, orderId: (JSON.parse(payload) as { orderId?: number | null }).orderId ?? undefined }))
      .filter((job) => job.orderId !== undefined && ids.has(job.orderId))
  }

  /** Each order's jobs by type, e.g. `{ 'fulfil-order': 1, notify: 2, … }`. */
  async function jobCounts(orderIds: number[]) {
    const counts = new Map(orderIds.map((id) => [id, {} as Record<string, number>]))
    for (const job of await jobsOf(orderIds)) {
      const count = counts.get(job.orderId!)!
      count[job.type] = (count[job.type] ?? 0) + 1
    }
    return orderIds.map((id) => counts.get(id))
  }

  /** These orders with their lines, by id. */
  async function storedOrders(userIds: number[]) {
    const orders = await db.selectFrom('orders').select(['id', 'user_id as userId', 'status']).where('user_id', 'in', userIds).orderBy('id').execute()
    const lines = orders.length
      ? await db
          .selectFrom('order_lines')
          .select(['order_id', 'product_id as productId', 'quantity'])
          .where(
            'order_id',
            'in',
            orders.map((order) => order.id),
          )
          .execute()
      : []
    return new Map(
      orders.map((order) => [order.id, { ...order, lines: lines.filter((line) => line.order_id === order.id).map(({ order_id, ...line }) => line) }]),
    )
  }

  /** An order paid and fulfilled: its expiry (due in 15 minutes, then a no-op), its fulfilment, two notifications. */
  const fulfilled = { 'expire-pending-order': 1, 'fulfil-order': 1, notify: 2 }

  /**
   * Holds the notifications table until the transaction ends: each notify job then blocks in its
   * handler, so each host's worker stops in the first one it claims and holds it (a slow job, on demand).
   */
  async function holdNotifications() {
    const holder = await db.startTransaction().execute()
    await sql`lock table notifications in exclusive mode`.execute(holder)
    return holder
  }

  /** The jobs some worker holds now; `locked_by` says which (host name, process id, a random part). */
  const runningJobs = () => db.selectFrom('tessera_jobs').select(['id', 'type', 'locked_by', 'locked_until']).where('status', '=', 'running').execute()

  it('runs each job exactly once, whichever host queued it, when every host’s worker drains the same backlog at once', async () => {
    const product = await newProduct(100)
    const buyers = await Promise.all(Array.from({ length: 24 }, () => shopper()))
    for (const [i, { on }] of buyers.entries()) expect((await on(i)('/api/cart/items', { productId: product.id, quantity: 1 })).status).toBe(201)
    let orderIds: number[] = []
    const holder = await holdNotifications()
    try {
      const placed = await Promise.all(buyers.map(({ on }, i) => on(i)('/api/orders', { shipping, card }, { 'Idempotency-Key': randomUUID() })))
      expect(placed.map((res) => res.status)).toEqual(Array(24).fill(201))
      orderIds = await Promise.all(placed.map(async (res) => ((await res.json()) as { order: { id: number } }).order.id))
      // Each paid order queued a notification and, half a second later, its fulfilment. Every
      // host's worker stopped in one of the notifications: all three poll the table.
      await expect.poll(async () => new Set((await runningJobs()).map((job) => job.locked_by)).size, { timeout: 10_000, interval: 20 }).toBe(hosts.length)
      await expect
        .poll(async () => (await jobsOf(orderIds)).filter((job) => job.type === 'fulfil-order' && job.run_at > Date.now()), { timeout: 10_000, interval: 50 })
        .toEqual([])
    } finally {
      await holder.rollback().execute()
    }

    // Released, the three workers drain some 70 due jobs side by side: each claim must take a job
    // no other claim holds. Every fulfilment queues one more notification.
    await expect
      .poll(async () => [...(await storedOrders(buyers.map((buyer) => buyer.userId))).values()].map((order) => order.status), {
        timeout: 20_000,
        interval: 100,
      })
      .toEqual(Array(24).fill('fulfilled'))
    await expect
      .poll(async () => (await jobsOf(orderIds)).filter((job) => job.type !== 'expire-pending-order' && job.status !== 'done'), {
        timeout: 10_000,
        interval: 100,
      })
      .toEqual([])

    // Claimed once each: a second claim (two hosts taking one job) would count a second attempt.
    expect(await jobCounts(orderIds)).toEqual(orderIds.map(() => fulfilled))
    const ran = (await jobsOf(orderIds)).filter((job) => job.type !== 'expire-pending-order')
    expect(ran.map((job) => [job.id, job.status, job.attempts])).toEqual(ran.map((job) => [job.id, 'done', 1]))
    const notifications = await db.selectFrom('notifications').select('order_id').where('order_id', 'in', orderIds).execute()
    expect(notifications).toHaveLength(2 * 24)
  }, 60_000)

  it('loses no acknowledged order when a host is killed (kill -9) mid-checkout, and another host finishes the job it held once its lease ran out', async () => {
    const victim = await start({ ...env, HOST: '127.0.0.5' })
    const initialStock = 500
    const product = await newProduct(initialStock)
    const buyers = await Promise.all(Array.from({ length: 6 }, () => shopper()))
    const stuck = await shopper()
    expect((await stuck.on(victim)('/api/cart/items', { productId: product.id, quantity: 3 })).status).toBe(201)

    // Until the victim is dead, this test holds the notifications table, so every host's worker
    // blocks in the first notify job it claims (the victim's too: it dies holding it), and the
    // stuck shopper's checkout waits for its turn (one checkout per shopper at a time): in flight.
    const holder = await holdNotifications()
    let held: Awaited<ReturnType<typeof runningJobs>>[number] | undefined
    const checkouts: { userId: number; quantity: number; orderId?: number }[] = []
    let killed = false
    try {
      await writeAlone(holder, `checkout:${stuck.userId}`)
      const stuckCheckout = stuck
        .on(victim)('/api/orders', { shipping, card }, { 'Idempotency-Key': randomUUID() })
        .then(
          (res) => res.status,
          (error: unknown) => error,
        )
      const waitingForUs = async () =>
        (
          await sql<{ waiting: number }>`select count(*)::int as waiting from pg_stat_activity
            where wait_event = 'advisory' and pg_backend_pid() = any(pg_blocking_pids(pid))`.execute(holder)
        ).rows[0]!.waiting
      await expect.poll(waitingForUs, { timeout: 10_000, interval: 20 }).toBe(1)

      // Six shoppers buying on the victim, one checkout after another, until it dies. A failure
      // is kept, not thrown, so that it ends the wait below instead of going unhandled.
      const failures: unknown[] = []
      const buying = buyers.map(async ({ on, userId }, i) => {
        const quantity = 1 + (i % 3)
        try {
          while (!killed) {
            expect((await on(victim)('/api/cart/items', { productId: product.id, quantity })).status).toBe(201)
            if (killed) return
            const checkout: (typeof checkouts)[number] = { userId, quantity }
            checkouts.push(checkout)
            const res = await on(victim)('/api/orders', { shipping, card }, { 'Idempotency-Key': randomUUID() })
            expect(res.status).toBe(201)
            checkout.orderId = ((await res.json()) as { order: { id: number } }).order.id
          }
        } catch (error) {
          // Cut off by the kill (fetch failed: the connection closed, or was refused); nothing else.
          if (!killed || !(error instanceof TypeError)) failures.push(error)
        }
      })
      const victimJobs = async () => (await runningJobs()).filter((job) => job.locked_by?.startsWith(`${hostname()}:${victim.child.pid}:`))
      const acknowledged = () => checkouts.filter((checkout) => checkout.orderId !== undefined).length
      await expect
        .poll(async () => failures.length > 0 || (acknowledged() >= 12 && (await victimJobs()).length > 0), { timeout: 20_000, interval: 20 })
        .toBe(true)
      killed = true
      await victim.stop('SIGKILL')
      await Promise.all(buying)
      expect(failures).toEqual([])
      expect(await stuckCheckout).toBeInstanceOf(TypeError)

      // A worker holds one job at a time: the victim died holding this one, its lease still running.
      const victimHeld = await victimJobs()
      expect(victimHeld).toHaveLength(1)
      held = victimHeld[0]!
      expect(held.type).toBe('notify')
    } finally {
      killed = true
      await holder.rollback().execute()
    }

    // Another host takes it over once its lease ran out (not before), and runs it once.
    const job = () => db.selectFrom('tessera_jobs').select(['status', 'attempts', 'updated_at']).where('id', '=', held!.id).executeTakeFirstOrThrow()
    await expect.poll(async () => (await job()).status, { timeout: 15_000, interval: 50 }).toBe('done')
    const taken = await job()
    expect(taken.attempts).toBe(2)
    expect(taken.updated_at).toBeGreaterThan(held.locked_until!)
    expect(await db.selectFrom('notifications').select('id').where('id', '=', held.id).execute()).toHaveLength(1)

    // Every paid order is fulfilled by the hosts left; an order cut off before its payment was
    // written stays pending (its expiry undoes it later); none is half written.
    const userIds = buyers.map((buyer) => buyer.userId)
    await expect
      .poll(async () => [...(await storedOrders(userIds)).values()].filter((order) => order.status !== 'fulfilled' && order.status !== 'pending'), {
        timeout: 15_000,
        interval: 100,
      })
      .toEqual([])
    const orders = await storedOrders(userIds)
    for (const { userId, quantity, orderId } of checkouts.filter((checkout) => checkout.orderId !== undefined))
      expect(orders.get(orderId!)).toEqual({ id: orderId, userId, status: 'fulfilled', lines: [{ productId: product.id, quantity }] })
    expect([...orders.values()].filter((order) => order.lines.length !== 1)).toEqual([])
    const { stock } = await db.selectFrom('products').select('stock').where('id', '=', product.id).executeTakeFirstOrThrow()
    const sold = [...orders.values()].reduce((sum, order) => sum + order.lines[0]!.quantity, 0)
    expect(stock + sold).toBe(initialStock)

    // Each job of these orders ran once (the one the victim held: its attempt, then the taker's).
    const orderIds = [...orders.keys()]
    await expect
      .poll(async () => (await jobsOf(orderIds)).filter((job) => job.type !== 'expire-pending-order' && job.status !== 'done'), {
        timeout: 10_000,
        interval: 100,
      })
      .toEqual([])
    expect(await jobCounts(orderIds)).toEqual([...orders.values()].map((order) => (order.status === 'pending' ? { 'expire-pending-order': 1 } : fulfilled)))
    const ran = (await jobsOf(orderIds)).filter((job) => job.type !== 'expire-pending-order')
    expect(ran.map((job) => [job.id, job.attempts])).toEqual(ran.map((job) => [job.id, job.id === held!.id ? 2 : 1]))

    // The checkout cut off before it committed left nothing behind: no order, the cart as it was.
    expect(await storedOrders([stuck.userId])).toEqual(new Map())
    expect(((await (await stuck.on(0)('/api/cart')).json()) as { count: number }).count).toBe(3)
  }, 60_000)
})

/**
 * A host whose clock runs two minutes fast (`npm run test:pg` only): jobs are due by the
 * database's clock, so its worker does not fulfil another host's order a minute early (the
 * shopper's cancel window cut short), nor would it take over jobs whose lease has not run out.
 */
describe.runIf(testDialect === 'postgres')('a host whose clock is two minutes fast, one PostgreSQL', () => {
  const root = inject('builtRoot')
  const start = serversFor(root)
  let hosts: ServerProcess[]
  let db: Db
  const { shopper, newProduct } = storefront(() => hosts)

  beforeAll(async () => {
    const location = await testDatabaseLocation(root)
    const env = { ...databaseEnv(location), TRUST_PROXY: 'true', ...adminEnv, FULFILMENT_DELAY_MS: '60000', JOBS_POLL_MS: '50' }
    const fast = { NODE_OPTIONS: `--import=${join(import.meta.dirname, 'support/skewed-clock.mjs')}`, TESSERA_TEST_CLOCK_SKEW_MS: '120000' }
    hosts = [await start({ ...env, HOST: '127.0.0.2' }), await start({ ...env, ...fast, HOST: '127.0.0.3' })]
    db = openDatabase(location)
  })
  afterAll(() => db?.destroy())

  it('fulfils an order when the database says it is due, not when the fast host thinks so', { timeout: 30_000 }, async () => {
    const product = await newProduct(10)
    const placed = await Promise.all(
      [0, 1].map(async (host) => {
        const { on } = await shopper()
        expect((await on(host)('/api/cart/items', { productId: product.id, quantity: 1 })).status).toBe(201)
        const res = await on(host)('/api/orders', { shipping, card }, { 'Idempotency-Key': randomUUID() })
        expect(res.status).toBe(201)
        return { on, id: ((await res.json()) as { order: { id: number } }).order.id }
      }),
    )
    // Both hosts' workers poll every 50 ms: the fast one would have taken the fulfilment at once.
    await new Promise((resolve) => setTimeout(resolve, 3000))
    const statuses = await db
      .selectFrom('orders')
      .select('status')
      .where(
        'id',
        'in',
        placed.map((order) => order.id),
      )
      .execute()
    expect(statuses.map((order) => order.status)).toEqual(['paid', 'paid'])
    // Due a minute from the database's now, whichever host queued it (the fast one's own clock said three).
    const { rows } = await sql<{ now: number }>`select (extract(epoch from clock_timestamp()) * 1000)::bigint as now`.execute(db)
    const jobs = await db.selectFrom('tessera_jobs').select(['run_at', 'payload']).where('type', '=', 'fulfil-order').execute()
    for (const { id } of placed) {
      const job = jobs.find((row) => (JSON.parse(row.payload) as { orderId: number }).orderId === id)!
      expect(job.run_at - rows[0]!.now).toBeGreaterThan(50_000)
      expect(job.run_at - rows[0]!.now).toBeLessThan(60_000)
    }
    // And so the shopper may still cancel, on either host.
    expect((await placed[0]!.on(1)(`/api/orders/${placed[0]!.id}/cancel`, {})).status).toBe(200)
  })
})
