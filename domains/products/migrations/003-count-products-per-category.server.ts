import { sql, type Kysely } from 'kysely'
import { dialectOf } from '#shared/db'

/**
 * Each category's number of products, kept exact by triggers in the transaction that inserts,
 * deletes or moves a product, so a listing's total is one row read, not a count(*) over the
 * category's index entries (100,000 a page in a catalogue of a million: docs/decisions/014).
 * The catalogue's total is the sum over the categories (a dozen rows).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('categories')
    .addColumn('product_count', 'integer', (col) => col.notNull().defaultTo(0))
    .execute()
  await sql`update categories set product_count = (select count(*) from products where category_id = categories.id)`.execute(db)
  if (dialectOf(db) === 'postgres') return createPostgresTriggers(db)
  await sql`create trigger products_count_insert after insert on products begin
    update categories set product_count = product_count + 1 where id = new.category_id;
  end`.execute(db)
  await sql`create trigger products_count_delete after delete on products begin
    update categories set product_count = product_count - 1 where id = old.category_id;
  end`.execute(db)
  await sql`create trigger products_count_move after update of category_id on products when old.category_id != new.category_id begin
    update categories set product_count = product_count - 1 where id = old.category_id;
    update categories set product_count = product_count + 1 where id = new.category_id;
  end`.execute(db)
}

/** The same three triggers on PostgreSQL, through one function. */
async function createPostgresTriggers(db: Kysely<unknown>) {
  await sql`create function products_count() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then update categories set product_count = product_count - 1 where id = old.category_id; end if;
      if tg_op <> 'DELETE' then update categories set product_count = product_count + 1 where id = new.category_id; end if;
      return null;
    end $$`.execute(db)
  await sql`create trigger products_count_insert after insert on products for each row execute function products_count()`.execute(db)
  await sql`create trigger products_count_delete after delete on products for each row execute function products_count()`.execute(db)
  await sql`create trigger products_count_move after update of category_id on products for each row when (old.category_id <> new.category_id) execute function products_count()`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const on = dialectOf(db) === 'postgres' ? sql` on products` : sql``
  for (const name of ['products_count_insert', 'products_count_delete', 'products_count_move']) await sql`drop trigger ${sql.id(name)}${on}`.execute(db)
  if (dialectOf(db) === 'postgres') await sql`drop function products_count`.execute(db)
  await db.schema.alterTable('categories').dropColumn('product_count').execute()
}
