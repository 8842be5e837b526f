import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { characterCount, characters, fieldMaxLength } from './text-length.ts'

const name = characters(z.string().min(1, 'Enter a name'), { max: 100 })
const code = characters(z.string(), { min: 2, max: 20, tooShort: 'Enter a code' })
const messages = (schema: z.ZodType, text: string) => schema.safeParse(text).error?.issues.map((issue) => issue.message) ?? []

describe('text limits in characters', () => {
  it('count what a reader sees: an emoji, a flag, a skin tone, a family, a letter with combining marks are one each', () => {
    expect(characterCount('abc')).toBe(3)
    expect(characterCount('😀')).toBe(1)
    expect('😀'.length).toBe(2)
    expect(characterCount('🇫🇷👍🏽👨‍👩‍👧‍👦')).toBe(3)
    expect(characterCount('e\u0301')).toBe(1) // e and a combining acute, as text pasted from macOS writes é
    expect(characterCount('नमस्ते')).toBe(3)
  })

  it('take 100 emoji, or 100 letters with marks, for a limit of 100, and refuse the 101st with the limit named', () => {
    expect(messages(name, '😀'.repeat(100))).toEqual([])
    expect(messages(name, '👍🏽'.repeat(100))).toEqual([])
    expect(messages(name, 'e\u0301'.repeat(100))).toEqual([])
    expect(messages(name, '😀'.repeat(101))).toEqual(['Use at most 100 characters'])
    expect(messages(name, 'a'.repeat(101))).toEqual(['Use at most 100 characters'])
  })

  it('keep a ceiling in code units, the form’s maxlength: one character of a thousand marks is refused, saying why', () => {
    expect(fieldMaxLength(100)).toBe(1000)
    expect(messages(name, `a${'\u0301'.repeat(1000)}`)).toEqual(['Use at most 100 characters: this one holds too many accents or symbols to keep'])
    expect(messages(name, `a${'\u0301'.repeat(998)}`)).toEqual([]) // 999 code units, one character
  })

  it('count a minimum in characters too, with one message', () => {
    expect(messages(code, '😀')).toEqual(['Enter a code'])
    expect(messages(code, '')).toEqual(['Enter a code'])
    expect(messages(code, '😀😀')).toEqual([])
    expect(messages(name, '')).toEqual(['Enter a name'])
  })
})
