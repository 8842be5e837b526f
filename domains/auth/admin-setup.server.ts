import type { Db } from '#shared/db'

/** The admin set up from ADMIN_EMAIL/ADMIN_PASSWORD at start-up, while it runs, by database. */
const setups = new WeakMap<Db, Promise<unknown>>()

/**
 * Runs the admin's set-up without holding start-up back: its scrypt hash is ~100 ms of CPU that
 * serving pages need not wait for. Logins do wait for it (`adminSetUp`), so the configured
 * password works from the first login.
 */
export function setUpAdminInBackground(db: Db, setup: Promise<unknown>): void {
  const settled = setup.catch(() => {}) // failures are the caller's to report
  setups.set(db, settled)
  void settled.then(() => setups.delete(db))
}

/** Resolves once no admin set-up is running on this database. */
export async function adminSetUp(db: Db): Promise<void> {
  await setups.get(db)
}
