import { describe, expect, it } from 'vitest'
import { CircuitBreaker } from './circuit-breaker.ts'

describe('CircuitBreaker', () => {
  it('opens after the failures in a row, lets one trial through after the pause, and closes on its success', () => {
    let now = 0
    const breaker = new CircuitBreaker({ failures: 2, openMs: 1000, now: () => now })
    breaker.failed()
    breaker.succeeded() // a success in between: the count starts again
    breaker.failed()
    expect(breaker.allow()).toBe(true)
    breaker.failed()
    expect([breaker.state, breaker.allow()]).toEqual(['open', false])
    now = 1000
    expect(breaker.state).toBe('half-open')
    expect(breaker.allow()).toBe(true) // the trial
    expect(breaker.allow()).toBe(false) // only one at a time
    breaker.succeeded()
    expect([breaker.state, breaker.allow()]).toEqual(['closed', true])
  })

  it('opens again at once when the trial fails', () => {
    let now = 0
    const breaker = new CircuitBreaker({ failures: 1, openMs: 1000, now: () => now })
    breaker.failed()
    now = 1500
    expect(breaker.allow()).toBe(true)
    breaker.failed()
    expect([breaker.state, breaker.allow()]).toEqual(['open', false])
    now = 2499
    expect(breaker.allow()).toBe(false)
    now = 2500
    expect(breaker.allow()).toBe(true)
  })
})
