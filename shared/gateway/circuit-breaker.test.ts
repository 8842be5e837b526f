import { describe, expect, it } from 'vitest'
import { CircuitBreaker } from './circuit-breaker.ts'

/** A breaker on a clock the test moves, opened by failures from clients `a` and `b`. */
function opened(options: { failures?: number; openMs?: number; windowMs?: number } = {}) {
  const clock = { now: 0 }
  const breaker = new CircuitBreaker({ failures: 2, openMs: 1000, ...options, now: () => clock.now })
  breaker.failed('a')
  breaker.failed('b')
  return { breaker, clock }
}

describe('CircuitBreaker', () => {
  it('opens when two clients fail, lets one trial through after the pause, and closes on its success', () => {
    const { breaker, clock } = opened()
    expect([breaker.state, breaker.allow('c')]).toEqual(['open', false])
    clock.now = 1000
    expect(breaker.state).toBe('half-open')
    expect(breaker.allow('c')).toBe(true) // the trial
    expect(breaker.allow('d')).toBe(false) // only one at a time
    breaker.succeeded('c')
    expect([breaker.state, breaker.allow('d')]).toEqual(['closed', true])
  })

  it('never opens on one client’s failures, however many', () => {
    const breaker = new CircuitBreaker({ failures: 2, openMs: 1000, now: () => 0 })
    for (let i = 0; i < 100; i++) breaker.failed('attacker')
    expect([breaker.state, breaker.allow('visitor')]).toEqual(['closed', true])
  })

  it('stays closed while more clients succeed than fail, and needs `failures` failures between them', () => {
    const breaker = new CircuitBreaker({ failures: 3, openMs: 1000, now: () => 0 })
    for (let i = 0; i < 50; i++) breaker.failed('attacker')
    breaker.succeeded('c')
    breaker.succeeded('d')
    breaker.failed('b') // two failing clients, two succeeding: no majority
    expect(breaker.state).toBe('closed')
    breaker.failed('c') // now three of four
    expect(breaker.state).toBe('open')

    const few = new CircuitBreaker({ failures: 3, openMs: 1000, now: () => 0 })
    few.failed('a')
    few.failed('b')
    expect(few.state).toBe('closed') // two failures only
    few.failed('b')
    expect(few.state).toBe('open')
  })

  it('forgets a client’s word after the window, and a success takes back its failures', () => {
    let now = 0
    const breaker = new CircuitBreaker({ failures: 2, openMs: 1000, windowMs: 5000, now: () => now })
    breaker.failed('a')
    now = 5000
    breaker.failed('b') // a's failure is too old to count
    expect(breaker.state).toBe('closed')
    breaker.failed('a')
    expect(breaker.state).toBe('open')

    const mended = new CircuitBreaker({ failures: 2, openMs: 1000, now: () => 0 })
    mended.failed('a')
    mended.succeeded('a')
    mended.failed('b')
    expect(mended.state).toBe('closed')
  })

  it('opens again only when trials from two clients have failed; a client whose trial failed waits openMs, others try', () => {
    const { breaker, clock } = opened()
    clock.now = 1000
    expect(breaker.allow('attacker')).toBe(true)
    breaker.failed('attacker')
    expect(breaker.state).toBe('half-open') // one client's failing trial is not enough
    expect(breaker.allow('attacker')).toBe(false) // nor may it hold the trial again at once
    expect(breaker.allow('visitor')).toBe(true)
    breaker.failed('visitor')
    expect([breaker.state, breaker.allow('visitor'), breaker.allow('attacker')]).toEqual(['open', false, false])
    clock.now = 2000
    expect(breaker.allow('attacker')).toBe(true) // a new half-open: anyone may try first
  })

  it('lets a lone client try again after openMs, the circuit staying half-open', () => {
    const { breaker, clock } = opened()
    clock.now = 1000
    breaker.allow('lone')
    breaker.failed('lone')
    clock.now = 1999
    expect(breaker.allow('lone')).toBe(false)
    clock.now = 2000
    expect(breaker.allow('lone')).toBe(true)
    breaker.succeeded('lone')
    expect(breaker.state).toBe('closed')
  })

  it('lets another client be the trial when the trial’s client gives up, and never an upload', () => {
    const { breaker, clock } = opened()
    clock.now = 1000
    expect(breaker.allow('upload', { canTry: false })).toBe(false)
    expect(breaker.allow('leaver')).toBe(true)
    breaker.released('leaver')
    expect(breaker.allow('leaver')).toBe(false) // it cannot hold the slot by leaving and asking again
    expect(breaker.allow('visitor')).toBe(true)
    expect(breaker.state).toBe('half-open')
  })
})
