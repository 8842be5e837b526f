import { describe, expect, it } from 'vitest'
import { serializeForScript } from './serialize.ts'

describe('serializeForScript', () => {
  it('escapes what could close or break an inline script', () => {
    const out = serializeForScript({ html: '</script><script>alert(1)</script><!--', amp: '&', ls: '\u2028\u2029' })
    expect(out).not.toMatch(/[<>&\u2028\u2029]/)
    expect(out).toContain('\\u003c/script\\u003e')
  })

  it('round-trips through JavaScript to the same value', () => {
    const value = { text: '</script> & <b> \u2028 ü 😀', n: 1.5, list: [null, true], nested: { a: '>' } }
    expect(new Function(`return ${serializeForScript(value)}`)()).toEqual(value)
  })

  it('serializes undefined as null so the script stays valid', () => {
    expect(serializeForScript(undefined)).toBe('null')
  })
})
