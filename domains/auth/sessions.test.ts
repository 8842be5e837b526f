import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestDatabase, runMigrations, type Db } from '#shared/db'
import { defineDomain, type MigrationModule } from '#shared/domain'
import { createSession, deleteSessionsOf, purgeExpiredSessions, SESSION_TTL_MS, sessionUser } from './sessions.server.ts'
import { insertUser } from './users.server.ts'

let db: Db
let userId: number
const DAY = 24 * 60 * 60 * 1000

beforeEach(async () => {
  db = await openTestDatabase()
  const { migrations } = defineDomain({ name: 'auth', migrations: import.meta.glob<MigrationModule>('./migrations/*.server.ts', { eager: true }) })
  await runMigrations(db, migrations)
  userId = (await insertUser(db, { email: 'ada@example.com', name: 'Ada', passwordHash: 'x' }))!.id
})
afterEach(() => db.destroy())

describe('sessions', () => {
  it('gives a 256-bit token and stores only its SHA-256', async () => {
    const { token } = await createSession(db, userId)
    expect(Buffer.from(token, 'base64url')).toHaveLength(32)
    const rows = await db.selectFrom('sessions').selectAll().execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'))
    expect(JSON.stringify(rows)).not.toContain(token)
  })

  it('finds the user of a live session, and nobody for an unknown token', async () => {
    const { token } = await createSession(db, userId)
    expect((await sessionUser(db, token))?.user.email).toBe('ada@example.com')
    expect(await sessionUser(db, `${token}x`)).toBeUndefined()
  })

  it('expires 30 days after its last use', async () => {
    const start = Date.now()
    const used = await createSession(db, userId, start)
    const unused = await createSession(db, userId, start)
    expect(await sessionUser(db, used.token, start + SESSION_TTL_MS - 1)).toBeDefined()
    expect(await sessionUser(db, unused.token, start + SESSION_TTL_MS)).toBeUndefined()
  })

  it('slides: used after a day, it lives 30 days from then (one write a day at most)', async () => {
    const start = Date.now()
    const { token } = await createSession(db, userId, start)
    expect((await sessionUser(db, token, start + DAY / 2))?.refreshedUntil).toBeUndefined()
    const later = start + 2 * DAY
    expect((await sessionUser(db, token, later))?.refreshedUntil).toBe(later + SESSION_TTL_MS)
    expect(await sessionUser(db, token, start + SESSION_TTL_MS + DAY)).toBeDefined()
  })

  it('purges expired sessions', async () => {
    const start = Date.now()
    await createSession(db, userId, start - SESSION_TTL_MS - 1)
    await createSession(db, userId, start)
    expect(await purgeExpiredSessions(db, start)).toBe(1)
    expect(await db.selectFrom('sessions').select('user_id').execute()).toHaveLength(1)
  })

  it("ends every session of a user, and no one else's", async () => {
    const one = await createSession(db, userId)
    const two = await createSession(db, userId)
    const otherUser = (await insertUser(db, { email: 'bob@example.com', name: 'Bob', passwordHash: 'x' }))!.id
    const others = await createSession(db, otherUser)
    await deleteSessionsOf(db, userId)
    expect(await sessionUser(db, one.token)).toBeUndefined()
    expect(await sessionUser(db, two.token)).toBeUndefined()
    expect(await sessionUser(db, others.token)).toBeDefined()
  })
})
