import { sql, type Kysely } from 'kysely'
import { generatedId, INT64 } from '#shared/db'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('carts')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('user_id', 'integer', (col) => col.unique().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (col) => col.unique())
    .addColumn('created_at', INT64, (col) => col.notNull())
    .addColumn('updated_at', INT64, (col) => col.notNull())
    .execute()
  await db.schema
    .createTable('cart_items')
    .addColumn('cart_id', 'integer', (col) => col.notNull().references('carts.id').onDelete('cascade'))
    .addColumn('product_id', 'integer', (col) => col.notNull().references('products.id').onDelete('cascade'))
    .addColumn('quantity', 'integer', (col) => col.notNull().check(sql`quantity between 1 and 99`))
    .addPrimaryKeyConstraint('cart_items_pk', ['cart_id', 'product_id'])
    .execute()
  await db.schema
    .createTable('orders')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id'))
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('pending', 'paid', 'fulfilled', 'cancelled')`))
    .addColumn('total_cents', 'integer', (col) => col.notNull())
    .addColumn('currency', 'text', (col) => col.notNull())
    .addColumn('shipping', 'text', (col) => col.notNull())
    .addColumn('payment_ref', 'text')
    .addColumn('idempotency_key', 'text')
    .addColumn('created_at', INT64, (col) => col.notNull())
    .addColumn('updated_at', INT64, (col) => col.notNull())
    .addUniqueConstraint('orders_idempotency', ['user_id', 'idempotency_key'])
    .execute()
  await db.schema.createIndex('orders_user').on('orders').columns(['user_id', 'created_at']).execute()
  await db.schema
    .createTable('order_lines')
    .addColumn('order_id', 'integer', (col) => col.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('product_id', 'integer', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('quantity', 'integer', (col) => col.notNull())
    .addColumn('price_cents', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('order_lines_pk', ['order_id', 'product_id'])
    .execute()
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('order_id', 'integer')
    .addColumn('message', 'text', (col) => col.notNull())
    .addColumn('read_at', INT64)
    .addColumn('created_at', INT64, (col) => col.notNull())
    .execute()
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['notifications', 'order_lines', 'orders', 'cart_items', 'carts']) await db.schema.dropTable(table).execute()
}
