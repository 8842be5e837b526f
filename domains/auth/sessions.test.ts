import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestDatabase, runMigrations, type Db } from '#shared/db'
import { defineDomain, type MigrationModule } from '#shared/domain'
import { createSession, deleteSessionsOf, purgeExpiredSessions, replaceCredentials, SESSION_TTL_MS, sessionUser } from './sessions.server.ts'
import { insertUser, type UserRow } from './users.server.ts'

let db: Db
let userId: number
let user: Pick<UserRow, 'id' | 'password_hash'>
/** A session for a user whose password is as checked: made, never refused. */
const started = async (who: Pick<UserRow, 'id' | 'password_hash'>, now?: number) => (await createSession(db, who, now))!
const DAY = 24 * 60 * 60 * 1000

beforeEach(async () => {
  db = await openTestDatabase()
  const { migrations } = defineDomain({ name: 'auth', migrations: import.meta.glob<MigrationModule>('./migrations/*.server.ts', { eager: true }) })
  await runMigrations(db, migrations)
  userId = (await insertUser(db, { email: 'ada@example.com', name: 'Ada', passwordHash: 'x' }))!.id
  user = { id: userId, password_hash: 'x' }
})
afterEach(() => db.destroy())

describe('sessions', () => {
  it('gives a 256-bit token and stores only its SHA-256', async () => {
    const { token } = await started(user)
    expect(Buffer.from(token, 'base64url')).toHaveLength(32)
    const rows = await db.selectFrom('sessions').selectAll().execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'))
    expect(JSON.stringify(rows)).not.toContain(token)
  })

  it('finds the user of a live session, and nobody for an unknown token', async () => {
    const { token } = await started(user)
    expect((await sessionUser(db, token))?.user.email).toBe('ada@example.com')
    expect(await sessionUser(db, `${token}x`)).toBeUndefined()
  })

  it('expires 30 days after its last use', async () => {
    const start = Date.now()
    const used = await started(user, start)
    const unused = await started(user, start)
    expect(await sessionUser(db, used.token, start + SESSION_TTL_MS - 1)).toBeDefined()
    expect(await sessionUser(db, unused.token, start + SESSION_TTL_MS)).toBeUndefined()
  })

  it('slides: used after a day, it lives 30 days from then (one write a day at most)', async () => {
    const start = Date.now()
    const { token } = await started(user, start)
    expect((await sessionUser(db, token, start + DAY / 2))?.refreshedUntil).toBeUndefined()
    const later = start + 2 * DAY
    expect((await sessionUser(db, token, later))?.refreshedUntil).toBe(later + SESSION_TTL_MS)
    expect(await sessionUser(db, token, start + SESSION_TTL_MS + DAY)).toBeDefined()
  })

  it('purges expired sessions', async () => {
    const start = Date.now()
    await started(user, start - SESSION_TTL_MS - 1)
    await started(user, start)
    expect(await purgeExpiredSessions(db, start)).toBe(1)
    expect(await db.selectFrom('sessions').select('user_id').execute()).toHaveLength(1)
  })

  it('starts no session for a password that changed since it was checked (a take-over, a change elsewhere)', async () => {
    const checked = { id: userId, password_hash: 'x' }
    const kept = await started(checked)
    await replaceCredentials(db, userId, { passwordHash: 'y', role: 'admin' })
    expect(await createSession(db, checked)).toBeUndefined()
    expect(await sessionUser(db, kept.token)).toBeUndefined() // and the one it had is gone
    expect(await db.selectFrom('sessions').select('user_id').execute()).toEqual([])
    expect((await sessionUser(db, (await started({ id: userId, password_hash: 'y' })).token))?.user.role).toBe('admin')
  })

  it("changes a password only while the one checked is still the account's: a take-over committed meanwhile wins", async () => {
    await replaceCredentials(db, userId, { passwordHash: 'admin', role: 'admin' }) // the take-over
    expect(await replaceCredentials(db, userId, { passwordHash: 'mine' }, 'x')).toBeUndefined() // the change that checked 'x'
    expect(await db.selectFrom('users').select(['password_hash', 'role']).where('id', '=', userId).executeTakeFirst()).toEqual({
      password_hash: 'admin',
      role: 'admin',
    })
    expect((await replaceCredentials(db, userId, { passwordHash: 'next' }, 'admin'))?.password_hash).toBe('next')
  })

  it('leaves no session made with the old password alive, when logins race a take-over on other connections', async () => {
    // On PostgreSQL each call takes a connection of the pool: the login's check and insert and the
    // take-over's update and sign-out really interleave, and only the account's lock orders them.
    for (let round = 0; round < 30; round++) {
      const before = { id: userId, password_hash: `old-${round}` }
      await db.updateTable('users').set({ password_hash: before.password_hash }).where('id', '=', userId).execute()
      await Promise.all([
        ...Array.from({ length: 4 }, () => createSession(db, before)),
        replaceCredentials(db, userId, { passwordHash: `new-${round}` }),
        ...Array.from({ length: 4 }, () => createSession(db, before)),
      ])
      // Made before the take-over: ended by it. After: refused. Either way, none is left.
      expect([round, await db.selectFrom('sessions').select('token_hash').where('user_id', '=', userId).execute()]).toEqual([round, []])
    }
  })

  it("ends every session of a user, and no one else's", async () => {
    const one = await started(user)
    const two = await started(user)
    const otherUser = (await insertUser(db, { email: 'bob@example.com', name: 'Bob', passwordHash: 'x' }))!.id
    const others = await started({ id: otherUser, password_hash: 'x' })
    await deleteSessionsOf(db, userId)
    expect(await sessionUser(db, one.token)).toBeUndefined()
    expect(await sessionUser(db, two.token)).toBeUndefined()
    expect(await sessionUser(db, others.token)).toBeDefined()
  })
})
