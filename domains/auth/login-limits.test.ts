import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { HttpError } from '#shared/http'
import { createLoginLimits, type LoginAttemptBy } from './login-limits.server.ts'

const MINUTE = 60_000
const email = 'owner@example.com'
let limits: ReturnType<typeof createLoginLimits>

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date('2026-01-01T00:00:00Z'))
  limits = createLoginLimits()
})
afterEach(() => vi.useRealTimers())

/** 'failed' (counted, as a wrong password leaves it), 'ok' (succeeded) or the 429's Retry-After in seconds. */
function attempt(by: LoginAttemptBy, { succeeds = false } = {}): 'failed' | 'ok' | number {
  try {
    const counted = limits.start(by)
    if (!succeeds) return 'failed'
    counted.succeeded()
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
function strangers(count: number): void {
  for (let a = 0; a < count; a++) {
    const address = newAddress()
    for (let i = 0; i < 5; i++) expect(attempt({ address, email })).toBe('failed')
  }
}

describe('login limits', () => {
  it('holds a stranger after five failures for 15 minutes on that email, from that address only', () => {
    const address = newAddress()
    for (let i = 0; i < 5; i++) attempt({ address, email })
    expect(attempt({ address, email })).toBe(60) // the per-address minute first
    later(MINUTE)
    expect(attempt({ address, email }, { succeeds: true })).toBe(14 * 60) // then the pair's 15 minutes
    expect(attempt({ address, email: 'someone.else@example.com' })).toBe('failed') // other emails from there
    expect(attempt({ address: newAddress(), email }, { succeeds: true })).toBe('ok') // this email from elsewhere
    later(14 * MINUTE)
    expect(attempt({ address, email }, { succeeds: true })).toBe('ok')
  })

  it('limits any address to five attempts a minute, whatever the emails and outcomes', () => {
    const address = newAddress()
    for (let i = 0; i < 5; i++) expect(attempt({ address, email: `user${i}@example.com` }, { succeeds: i % 2 === 0 })).not.toBeTypeOf('number')
    expect(attempt({ address, email: 'user9@example.com' })).toBe(60)
  })

  it('does not lock the owner out: strangers from other addresses do not hold them below the ceiling', () => {
    strangers(9) // 45 failures
    expect(attempt({ address: newAddress(), email }, { succeeds: true })).toBe('ok')
  })

  it('holds the email for anyone without its device after 50 failures (15 minutes, then longer), but not its device', () => {
    strangers(10)
    expect(attempt({ address: newAddress(), email }, { succeeds: true })).toBe(15 * 60)
    expect(attempt({ address: newAddress(), email, device: 'owners-device' }, { succeeds: true })).toBe('ok')
    later(15 * MINUTE)
    strangers(10)
    expect(attempt({ address: newAddress(), email })).toBe(30 * 60)
    expect(attempt({ address: newAddress(), email: 'other@example.com' }, { succeeds: true })).toBe('ok')
  })

  it("counts a device's own failures: five per 15 minutes, from any address; its successes are free", () => {
    for (let i = 0; i < 8; i++) expect(attempt({ address: newAddress(), email, device: 'd1' }, { succeeds: true })).toBe('ok')
    for (let i = 0; i < 5; i++) expect(attempt({ address: newAddress(), email, device: 'd1' })).toBe('failed')
    expect(attempt({ address: newAddress(), email, device: 'd1' }, { succeeds: true })).toBe(15 * 60)
    expect(attempt({ address: newAddress(), email, device: 'd2' }, { succeeds: true })).toBe('ok')
    expect(attempt({ address: newAddress(), email }, { succeeds: true })).toBe('ok') // nor do they count for strangers
  })

  it('forgives the failures before a good login from the same address, so an owner who mistypes now and then is never held', () => {
    const address = newAddress()
    for (let round = 0; round < 20; round++) {
      expect(attempt({ address, email })).toBe('failed')
      expect(attempt({ address, email }, { succeeds: true })).toBe('ok')
      later(MINUTE)
    }
  })
})
