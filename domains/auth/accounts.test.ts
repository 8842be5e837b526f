import type { Kysely } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestDatabase, runMigrations, type Db } from '#shared/db'
import { defineDomain, type MigrationModule } from '#shared/domain'
import { HttpError } from '#shared/http'
import { authenticate, changePassword, ensureAdmin, registerUser, WRONG_CREDENTIALS } from './accounts.server.ts'
import { registerInput } from './schemas.ts'
import { up as signAdminsOutOnce } from './migrations/004-sign-admins-out-once.server.ts'
import { createSession, sessionUser } from './sessions.server.ts'
import { startAuth } from './start.server.ts'
import { loadConfig } from '#shared/config'
import { createLogger } from '#shared/log'

let db: Db

beforeEach(async () => {
  db = await openTestDatabase()
  const { migrations } = defineDomain({ name: 'auth', migrations: import.meta.glob<MigrationModule>('./migrations/*.server.ts', { eager: true }) })
  await runMigrations(db, migrations)
})
afterEach(() => db.destroy())

const register = (email: string, password = 'long enough') => registerUser(db, registerInput.parse({ email, name: 'Ada', password }))

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(HttpError)
  return err as HttpError
}

describe('accounts', () => {
  it('normalises the email (trim, lower case) and makes customers', async () => {
    const user = await register('  Ada@Example.COM ')
    expect(user).toMatchObject({ email: 'ada@example.com', role: 'customer' })
  })

  it('refuses a taken email with 409 on the email field', async () => {
    await register('ada@example.com')
    const err = await failure(register('ADA@example.com'))
    expect(err.status).toBe(409)
    expect(err.issues).toEqual([{ path: ['email'], message: 'That email is already registered.' }])
  })

  it('authenticates with the right password only, with one message for every failure', async () => {
    await register('ada@example.com', 'right password')
    expect((await authenticate(db, { email: 'ada@example.com', password: 'right password' })).email).toBe('ada@example.com')
    const wrong = await failure(authenticate(db, { email: 'ada@example.com', password: 'wrong password' }))
    const unknown = await failure(authenticate(db, { email: 'nobody@example.com', password: 'right password' }))
    expect([wrong.status, unknown.status]).toEqual([401, 401])
    expect(wrong.message).toBe(WRONG_CREDENTIALS)
    expect(unknown.message).toBe(WRONG_CREDENTIALS)
  })

  it('changes a password only with the current one', async () => {
    const user = await register('ada@example.com', 'old password')
    const err = await failure(changePassword(db, user.id, 'not it', 'new password'))
    expect(err.issues?.[0]?.path).toEqual(['currentPassword'])
    await changePassword(db, user.id, 'old password', 'new password')
    await expect(authenticate(db, { email: 'ada@example.com', password: 'new password' })).resolves.toBeDefined()
    await expect(authenticate(db, { email: 'ada@example.com', password: 'old password' })).rejects.toThrow(WRONG_CREDENTIALS)
  })

  it('creates the admin, then updates it (password and role) on the next start', async () => {
    expect((await ensureAdmin(db, 'boss@example.com', 'first password')).created).toBe(true)
    const customer = await register('ada@example.com')
    const { user, created } = await ensureAdmin(db, 'ada@example.com', 'admin password')
    expect(created).toBe(false)
    expect(user).toMatchObject({ id: customer.id, role: 'admin' })
    await expect(authenticate(db, { email: 'ada@example.com', password: 'admin password' })).resolves.toMatchObject({ role: 'admin' })
  })

  it("signs out every session of an account it takes over: a squatter's session never becomes an admin's", async () => {
    const squatter = await register('owner@example.com')
    const { token } = (await createSession(db, squatter))!
    expect(await ensureAdmin(db, 'owner@example.com', 'admin password')).toMatchObject({ created: false, signedOut: true })
    expect(await sessionUser(db, token)).toBeUndefined()
    // A login of the squatter's that checked their password before the take-over gets no session after it.
    expect(await createSession(db, squatter)).toBeUndefined()
  })

  it('signs every admin out once on upgrade (migration 004), and nobody else', async () => {
    const { user: admin } = await ensureAdmin(db, 'taken@example.com', 'admin password')
    const customer = await register('customer@example.com')
    const adminSession = (await createSession(db, admin))!
    const customerSession = (await createSession(db, customer))!
    await signAdminsOutOnce(db as unknown as Kysely<unknown>) // a migration sees no table types
    expect(await sessionUser(db, adminSession.token)).toBeUndefined()
    expect((await sessionUser(db, customerSession.token))?.user.id).toBe(customer.id)
  })

  it('leaves the sessions of an admin whose password is already this one (a restart), and signs them out when it changes', async () => {
    const { user } = await ensureAdmin(db, 'chief@example.com', 'admin password')
    const { token } = (await createSession(db, user))!
    expect(await ensureAdmin(db, 'chief@example.com', 'admin password')).toMatchObject({ created: false, signedOut: false })
    expect((await sessionUser(db, token))?.user).toMatchObject({ id: user.id, role: 'admin' })
    expect(await ensureAdmin(db, 'chief@example.com', 'new admin password')).toMatchObject({ signedOut: true })
    expect(await sessionUser(db, token)).toBeUndefined()
    await expect(authenticate(db, { email: 'chief@example.com', password: 'new admin password' })).resolves.toMatchObject({ role: 'admin' })
  })
})

describe('the admin from ADMIN_EMAIL/ADMIN_PASSWORD', () => {
  it('is set up after start-up returns, and a login made at once waits for it', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: ':memory:', ADMIN_EMAIL: 'Boss@Example.com', ADMIN_PASSWORD: 'configured password' })
    const stop = await startAuth({ db, config, log: createLogger({ level: 'silent' }) })
    try {
      const user = await authenticate(db, { email: 'boss@example.com', password: 'configured password' })
      expect(user.role).toBe('admin')
    } finally {
      stop()
    }
  })
})
