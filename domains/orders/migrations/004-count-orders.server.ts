import { sql, type Kysely } from 'kysely'
import { EVERYONE, ORDER_COUNT_TRIGGERS, recountOrders } from '../order-counts.server.ts'

/** One side of a trigger: what an order (`row`: new or old) adds to its counts, times `sign`. */
const countOrder = (row: 'new' | 'old', sign: '+' | '-') => `
    insert into order_counts(user_id, orders, active_orders, active_cents)
      select who, ${sign}1, ${sign}(${row}.status != 'cancelled'), ${sign}(case when ${row}.status != 'cancelled' then ${row}.total_cents else 0 end)
      from (select ${row}.user_id as who union all select ${EVERYONE}) where true
    on conflict(user_id) do update set
      orders = orders + excluded.orders, active_orders = active_orders + excluded.active_orders, active_cents = active_cents + excluded.active_cents;`

/**
 * Each shopper's number of orders, and of orders not cancelled with their sum (the dashboard's
 * figures), kept exact by triggers in the transaction that writes the order; user 0 holds
 * everyone's (/admin/orders). A listing's total is then one row read, not a count(*) over a
 * million index entries, or a shopper's ten thousand (docs/decisions/014).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('order_counts')
    .addColumn('user_id', 'integer', (col) => col.primaryKey())
    .addColumn('orders', 'integer', (col) => col.notNull())
    .addColumn('active_orders', 'integer', (col) => col.notNull())
    .addColumn('active_cents', 'integer', (col) => col.notNull())
    .execute()
  await recountOrders(db)
  const [insert, remove, update] = ORDER_COUNT_TRIGGERS
  await sql.raw(`create trigger ${insert} after insert on orders begin ${countOrder('new', '+')} end`).execute(db)
  await sql.raw(`create trigger ${remove} after delete on orders begin ${countOrder('old', '-')} end`).execute(db)
  await sql.raw(`create trigger ${update} after update of user_id, status, total_cents on orders begin ${countOrder('old', '-')} ${countOrder('new', '+')} end`).execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of ORDER_COUNT_TRIGGERS) await sql`drop trigger ${sql.id(name)}`.execute(db)
  await db.schema.dropTable('order_counts').execute()
}
