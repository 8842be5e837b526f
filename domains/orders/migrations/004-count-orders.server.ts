import { sql, type Kysely } from 'kysely'
import { EVERYONE, ORDER_COUNT_TRIGGERS, recountOrders } from '../order-counts.server.ts'
import { dialectOf, INT64 } from '#shared/db'

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
    .addColumn('active_cents', INT64, (col) => col.notNull())
    .execute()
  await recountOrders(db)
  const [insert, remove, update] = ORDER_COUNT_TRIGGERS
  if (dialectOf(db) === 'postgres') return createPostgresTriggers(db)
  await sql.raw(`create trigger ${insert} after insert on orders begin ${countOrder('new', '+')} end`).execute(db)
  await sql.raw(`create trigger ${remove} after delete on orders begin ${countOrder('old', '-')} end`).execute(db)
  await sql
    .raw(`create trigger ${update} after update of user_id, status, total_cents on orders begin ${countOrder('old', '-')} ${countOrder('new', '+')} end`)
    .execute(db)
}

/** The same three triggers on PostgreSQL, through one function that applies an order to its counts. */
async function createPostgresTriggers(db: Kysely<unknown>) {
  await sql`create function count_order(who bigint, sign integer, status text, total bigint) returns void language sql as $$
    insert into order_counts(user_id, orders, active_orders, active_cents)
      select counted, sign, sign * (status <> 'cancelled')::integer, sign * (case when status <> 'cancelled' then total else 0 end)
      from (values (who), (${sql.lit(EVERYONE)})) as affected(counted)
    on conflict (user_id) do update set
      orders = order_counts.orders + excluded.orders, active_orders = order_counts.active_orders + excluded.active_orders, active_cents = order_counts.active_cents + excluded.active_cents
  $$`.execute(db)
  await sql`create function orders_count() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then perform count_order(old.user_id, -1, old.status, old.total_cents); end if;
      if tg_op <> 'DELETE' then perform count_order(new.user_id, 1, new.status, new.total_cents); end if;
      return null;
    end $$`.execute(db)
  const [insert, remove, update] = ORDER_COUNT_TRIGGERS
  await sql`create trigger ${sql.id(insert)} after insert on orders for each row execute function orders_count()`.execute(db)
  await sql`create trigger ${sql.id(remove)} after delete on orders for each row execute function orders_count()`.execute(db)
  await sql`create trigger ${sql.id(update)} after update of user_id, status, total_cents on orders for each row execute function orders_count()`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = dialectOf(db) === 'postgres'
  for (const name of ORDER_COUNT_TRIGGERS) await sql`drop trigger ${sql.id(name)}${postgres ? sql` on orders` : sql``}`.execute(db)
  if (postgres) for (const name of ['orders_count', 'count_order']) await sql`drop function ${sql.id(name)}`.execute(db)
  await db.schema.dropTable('order_counts').execute()
}
