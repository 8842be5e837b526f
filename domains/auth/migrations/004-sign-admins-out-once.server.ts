import { type Kysely, sql } from 'kysely'

/**
 * Signs every admin out, once. Before 2026-11-30 the admin set-up (ADMIN_EMAIL, create-admin)
 * could make an account someone else had registered the admin and leave that someone's sessions
 * open: a store set up so would keep them on this upgrade, the account's password being already
 * the configured one. Admins log in again; nobody else is touched.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`delete from sessions where user_id in (select id from users where role = 'admin')`.execute(db)
}

/** Nothing to undo: the sessions are gone, and a new login makes new ones. */
export async function down(): Promise<void> {}
