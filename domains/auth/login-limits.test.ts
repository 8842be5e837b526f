import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openDatabase, testDatabaseLocation, type Db } from '#shared/db'
import { HttpError } from '#shared/http'
import { loginLimits, type LoginAttemptBy } from './login-limits.server.ts'
import { authDb } from './test-db.ts'

const MINUTE = 60_000
const email = 'owner@example.com'
let db: Db

beforeEach(async () => {
  db = await authDb()
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date('2026-01-01T00:00:00Z'))
})
afterEach(async () => {
  vi.useRealTimers()
  await db.destroy()
})

/** 'failed' (counted, as a wrong password leaves it), 'ok' (succeeded) or the 429's Retry-After in seconds. */
async function attempt(by: LoginAttemptBy, { succeeds = false, on = db } = {}): Promise<'failed' | 'ok' | number> {
  try {
    const counted = await loginLimits(on).start(by)
    if (!succeeds) return 'failed'
    await counted.succeeded()
    return 'ok'
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 429) throw err
    return Number(err.headers['Retry-After'])
  }
}
const later = (ms: number) => vi.setSystemTime(Date.now() + ms)
let n = 0
const newAddress = () => `10.1.${Math.floor(++n / 250)}.${n % 250}`

/** Five failures for `email` from each of `count` new addresses. */
async function strangers(count: number): Promise<void> {
  for (let a = 0; a < count; a++) {
    const address = newAddress()
    for (let i = 0; i < 5; i++) expect(await attempt({ address, email })).toBe('failed')
  }
}

describe('login limits', () => {
  it('holds a stranger after five failures for 15 minutes on that email, from that address only', async () => {
    const address = newAddress()
    for (let i = 0; i < 5; i++) await attempt({ address, email })
    expect(await attempt({ address, email })).toBe(60) // the per-address minute first
    later(MINUTE)
    expect(await attempt({ address, email }, { succeeds: true })).toBe(14 * 60) // then the pair's 15 minutes
    expect(await attempt({ address, email: 'someone.else@example.com' })).toBe('failed') // other emails from there
    expect(await attempt({ address: newAddress(), email }, { succeeds: true })).toBe('ok') // this email from elsewhere
    later(14 * MINUTE)
    expect(await attempt({ address, email }, { succeeds: true })).toBe('ok')
  })

  it('limits any address to five attempts a minute, whatever the emails and outcomes', async () => {
    const address = newAddress()
    for (let i = 0; i < 5; i++) expect(await attempt({ address, email: `user${i}@example.com` }, { succeeds: i % 2 === 0 })).not.toBeTypeOf('number')
    expect(await attempt({ address, email: 'user9@example.com' })).toBe(60)
  })

  it('does not lock the owner out: strangers from other addresses do not hold them below the ceiling', async () => {
    await strangers(9) // 45 failures
    expect(await attempt({ address: newAddress(), email }, { succeeds: true })).toBe('ok')
  })

  it('holds the email for anyone without its device after 50 failures (15 minutes, then longer), but not its device', async () => {
    await strangers(10)
    expect(await attempt({ address: newAddress(), email }, { succeeds: true })).toBe(15 * 60)
    expect(await attempt({ address: newAddress(), email, device: 'owners-device' }, { succeeds: true })).toBe('ok')
    later(15 * MINUTE)
    await strangers(10)
    expect(await attempt({ address: newAddress(), email })).toBe(30 * 60)
    expect(await attempt({ address: newAddress(), email: 'other@example.com' }, { succeeds: true })).toBe('ok')
  })

  it("counts a device's own failures: five per 15 minutes, from any address; its successes are free", async () => {
    for (let i = 0; i < 8; i++) expect(await attempt({ address: newAddress(), email, device: 'd1' }, { succeeds: true })).toBe('ok')
    for (let i = 0; i < 5; i++) expect(await attempt({ address: newAddress(), email, device: 'd1' })).toBe('failed')
    expect(await attempt({ address: newAddress(), email, device: 'd1' }, { succeeds: true })).toBe(15 * 60)
    expect(await attempt({ address: newAddress(), email, device: 'd2' }, { succeeds: true })).toBe('ok')
    expect(await attempt({ address: newAddress(), email }, { succeeds: true })).toBe('ok') // nor do they count for strangers
  })

  it('forgives the failures before a good login from the same address, so an owner who mistypes now and then is never held', async () => {
    const address = newAddress()
    for (let round = 0; round < 20; round++) {
      expect(await attempt({ address, email })).toBe('failed')
      expect(await attempt({ address, email }, { succeeds: true })).toBe('ok')
      later(MINUTE)
    }
  })
})

describe('login limits after the owner proved the mailbox (a password reset)', () => {
  it("frees the email from every address's failures and from its hold, but not from the per-address minute", async () => {
    const home = newAddress()
    for (let i = 0; i < 5; i++) expect(await attempt({ address: home, email })).toBe('failed')
    await strangers(9) // with the owner's five: 50, the ceiling
    expect(await attempt({ address: newAddress(), email }, { succeeds: true })).toBe(15 * 60)
    await loginLimits(db).ownerProven(email)
    expect(await attempt({ address: home, email }, { succeeds: true })).toBe(60) // five attempts this minute from there, whatever happened since
    later(MINUTE)
    expect(await attempt({ address: home, email }, { succeeds: true })).toBe('ok')
    expect(await attempt({ address: newAddress(), email }, { succeeds: true })).toBe('ok')
  })

  it('keeps the length of the hold it ended: a guesser who goes on is held twice as long', async () => {
    await strangers(10)
    expect(await attempt({ address: newAddress(), email })).toBe(15 * 60)
    await loginLimits(db).ownerProven(email)
    await strangers(10)
    expect(await attempt({ address: newAddress(), email })).toBe(30 * 60)
  })

  it('leaves other emails alone, among them one that ends like this one', async () => {
    const address = newAddress()
    for (let i = 0; i < 5; i++) expect(await attempt({ address, email: `x${email}` })).toBe('failed')
    later(MINUTE)
    await loginLimits(db).ownerProven(email)
    expect(await attempt({ address, email: `x${email}` })).toBe(14 * 60)
  })
})

describe('login limits across hosts', () => {
  let dir: string
  let hosts: Db[]
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-limits-'))
    const location = await testDatabaseLocation(dir)
    // Two Db handles on one database (a SQLite file, or PostgreSQL pools): two hosts, or two workers.
    hosts = [await authDb(location), openDatabase(location)]
  })
  afterEach(async () => {
    await Promise.all(hosts.map((host) => host.destroy()))
    await rm(dir, { recursive: true, force: true })
  })

  it('share one counter: five attempts a minute from an address means five over both', async () => {
    const [a, b] = hosts as [Db, Db]
    const address = newAddress()
    const results = []
    for (const on of [a, b, a, b, a, b, a]) results.push(await attempt({ address, email: `user${results.length}@example.com` }, { on }))
    expect(results).toEqual(['failed', 'failed', 'failed', 'failed', 'failed', 60, 60])
  })

  it('count every attempt once when they arrive at the same moment on both', async () => {
    const [a, b] = hosts as [Db, Db]
    const address = newAddress()
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt({ address, email }, { on: i % 2 ? a : b })))
    expect(results.filter((result) => result === 'failed')).toHaveLength(5)
    expect(results.filter((result) => result !== 'failed')).toEqual(Array(7).fill(60))
  })
})
