import { describe, expect, it } from 'vitest'
import { readFlags, wholeNumberFlag } from './command-flags.ts'
import { UsageError } from './usage-error.ts'

const usage = 'seed-orders --count N [--user email]'
const read = (args: string[]) => readFlags(usage, args, ['count', 'user'])

describe('readFlags', () => {
  it('reads --name value and --name=value', () => {
    expect(read([])).toEqual({})
    expect(read(['--count', '5', '--user=a@example.com'])).toEqual({ count: '5', user: 'a@example.com' })
  })

  it.each([
    [['--size', '5'], 'seed-orders: unknown option "--size". Usage: seed-orders --count N [--user email]'],
    [['5'], 'seed-orders: unexpected argument "5". Usage: seed-orders --count N [--user email]'],
    [['--count'], 'seed-orders: --count needs a value. Usage: seed-orders --count N [--user email]'],
    [['--count='], 'seed-orders: --count needs a value. Usage: seed-orders --count N [--user email]'],
    [['--count', '--user', 'x'], 'seed-orders: --count needs a value. Usage: seed-orders --count N [--user email]'],
    [['--count', '1', '--count=2'], 'seed-orders: --count given twice. Usage: seed-orders --count N [--user email]'],
  ])('%j is a UsageError (exit 2), one line naming the problem', (args, message) => {
    let error: unknown
    try {
      read(args)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(UsageError)
    expect(error).toMatchObject({ exitCode: 2, message })
  })
})

describe('wholeNumberFlag', () => {
  it('reads decimal whole numbers within the bounds', () => {
    expect(wholeNumberFlag(usage, 'count', '1000000', 1, 10_000_000)).toBe(1_000_000)
    expect(wholeNumberFlag(usage, 'count', '1', 1, 10)).toBe(1)
  })

  it.each(['abc', '-5', '0', '1.5', '1e6', '0x10', ' 5', '', '10000001', '99999999999999999999'])('refuses %j', (text) => {
    expect(() => wholeNumberFlag(usage, 'count', text, 1, 10_000_000)).toThrow(
      new UsageError(`seed-orders: --count must be a whole number from 1 to 10,000,000, not "${text}". Usage: ${usage}`),
    )
  })
})
