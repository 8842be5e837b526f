import { sql, type Kysely } from 'kysely'

/**
 * Each category's number of products, kept exact by triggers in the transaction that inserts,
 * deletes or moves a product, so a listing's total is one row read, not a count(*) over the
 * category's index entries (100,000 a page in a catalogue of a million: docs/decisions/014).
 * The catalogue's total is the sum over the categories (a dozen rows).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('categories').addColumn('product_count', 'integer', (col) => col.notNull().defaultTo(0)).execute()
  await sql`update categories set product_count = (select count(*) from products where category_id = categories.id)`.execute(db)
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

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of ['products_count_insert', 'products_count_delete', 'products_count_move']) await sql`drop trigger ${sql.id(name)}`.execute(db)
  await db.schema.alterTable('categories').dropColumn('product_count').execute()
}
