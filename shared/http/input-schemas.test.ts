import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { blankAsAbsent, centsText, idJson, idText, integerJson, integerText, linkUrl, pageNumber, plainText, readId, readQuery } from './input-schemas.ts'

const value = (schema: z.ZodType, input: unknown) => schema.safeParse(input).data
const refused = (schema: z.ZodType, input: unknown) => !schema.safeParse(input).success

describe('integerText (URL and form fields)', () => {
  const quantity = integerText({ min: 1, max: 99 })
  const delta = integerText({ min: -100, max: 100 })

  it.each([
    ['1', 1],
    ['42', 42],
    ['99', 99],
    ['007', 7],
  ])('reads %j as %d', (text, number) => {
    expect(value(quantity, text)).toBe(number)
  })

  it.each(['0x10', '1e1', '1.0', '2.5', ' 7', '7 ', '+7', '-7', '', 'Infinity', 'NaN', '٣', '0', '100', '9'.repeat(17)])('refuses %j', (text) => {
    expect(refused(quantity, text)).toBe(true)
  })

  it.each([[7], [[7]], [['7']], [true], [null], [undefined]])('refuses the non-string %j (a repeated field is an array)', (input) => {
    expect(refused(quantity, input)).toBe(true)
  })

  it('reads a minus sign only where the range goes below zero', () => {
    expect(value(delta, '-3')).toBe(-3)
    expect(refused(delta, '--3')).toBe(true)
    expect(refused(delta, '-')).toBe(true)
  })

  it('says what it wants, one message for every failure', () => {
    expect(quantity.safeParse('0x10').error?.issues[0]?.message).toBe('Enter a whole number from 1 to 99')
    expect(integerText({ min: 1, max: 99 }, 'Enter a quantity').safeParse('100').error?.issues[0]?.message).toBe('Enter a quantity')
  })

  it('refuses a range beyond safe integers, where two texts would read as one number', () => {
    expect(() => integerText({ min: 1, max: 2 ** 53 })).toThrow(RangeError)
  })
})

describe('integerJson (JSON bodies)', () => {
  const quantity = integerJson({ min: 1, max: 99 })

  it('takes JSON integers in range', () => {
    expect(value(quantity, 7)).toBe(7)
  })

  it.each([['7'], ['0x10'], [[7]], [7.5], [0], [100], [Number.NaN], [Infinity], [null], [true]])('refuses %j, never coerced', (input) => {
    expect(refused(quantity, input)).toBe(true)
  })

  it('says a number past 2^53 is too big once', () => {
    const issues = quantity.safeParse(1e20).error?.issues.map(({ code, message }) => ({ code, message }))
    expect(issues).toEqual([{ code: 'too_big', message: 'Enter a whole number from 1 to 99' }])
  })
})

describe('ids and page numbers', () => {
  it('idText: positive safe integers in decimal', () => {
    expect(value(idText, '12')).toBe(12)
    for (const text of ['0', '-1', 'abc', '1e1', '0x10', '9007199254740992', '12abc']) expect(refused(idText, text), text).toBe(true)
  })

  it('idJson: positive safe JSON integers', () => {
    expect(value(idJson, 12)).toBe(12)
    for (const input of ['12', [12], 0, 1.5, 2 ** 53]) expect(refused(idJson, input)).toBe(true)
  })

  it('pageNumber: 1 when absent, 1 to 10,000 when given', () => {
    expect(value(pageNumber, undefined)).toBe(1)
    expect(value(pageNumber, '3')).toBe(3)
    for (const text of ['', '0', '-1', '1e308', '2.5', 'abc', '10001']) expect(refused(pageNumber, text), text).toBe(true)
  })
})

describe('centsText (money as typed)', () => {
  const price = centsText({ max: 100_000_000 }, { tooSmall: 'The price must be above zero' })

  it.each([
    ['12', 1200],
    ['12.5', 1250],
    ['12.50', 1250],
    ['0.01', 1],
    ['0.29', 29],
    ['1000000', 100_000_000],
    ['19.99', 1999],
    [' 12.50 ', 1250], // pasted with the spaces around it
  ])('reads %j as %d cents, exactly', (text, cents) => {
    expect(value(price, text)).toBe(cents)
  })

  it('refuses an amount that would round: more than two decimals is not whole cents', () => {
    const result = price.safeParse('0.004')
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.message).toBe('Use whole cents: at most two decimals')
    expect(refused(price, '12.505')).toBe(true)
  })

  it('refuses nothing at all, with its own message', () => {
    for (const text of ['0', '0.00', '0.0']) expect(price.safeParse(text).error?.issues[0]?.message).toBe('The price must be above zero')
  })

  it.each(['', ' ', 'abc', '0x10', '1e3', '-5', '12,50', '1 2', '.5', '12.', 'Infinity', '1000000.01'])('refuses %j', (text) => {
    expect(refused(price, text)).toBe(true)
  })

  it('refuses a number: a form field is text', () => {
    expect(refused(price, 12)).toBe(true)
  })
})

describe('plainText', () => {
  const name = plainText().min(1).max(20)
  const notes = plainText({ multiline: true })

  it('refuses text of zero-width or other invisible characters alone: it would show as nothing', () => {
    for (const text of ['\u200b', '\u200b\u2060\ufeff', ' \u200d ']) expect([text, refused(plainText().min(1), text)]).toEqual([text, true])
    expect(value(plainText(), 'a\u200bb')).toBe('a\u200bb') // inside a word, as some scripts write it
    expect(value(plainText().max(10), '')).toBe('') // an optional field left empty
  })

  it('composes what a decomposed keyboard or a paste from macOS sends (NFC): "Noe\u0308l" is "Noël"', () => {
    expect(value(plainText(), ' Noe\u0308l Cafe\u0301 ')).toBe('No\u00ebl Caf\u00e9')
  })

  it('trims and keeps ordinary text of any script', () => {
    expect(value(name, '  Ada Lovelace ')).toBe('Ada Lovelace')
    expect(value(name, 'Zoë 日本 👩‍🔧')).toBe('Zoë 日本 👩‍🔧')
  })

  it.each(['a\u0000b', 'a\u0007b', 'a\u001bb', 'a\u007fb', 'a\u0085b', 'a\u009bb', 'a\tb', 'a\nb', 'a\rb', 'a\u2028b', 'a\u2029b', 'a\ud800b', 'a\udc00b'])(
    'single line: refuses %j',
    (text) => {
      const result = name.safeParse(text)
      expect(result.success).toBe(false)
      expect(result.error?.issues[0]?.message).toMatch(/no control characters/)
    },
  )

  it('refuses the bidirectional embeddings and overrides that reverse what follows; keeps isolates and marks right-to-left text needs', () => {
    for (const text of ['a\u202eb', 'a\u202ab', 'a\u202db']) {
      expect(refused(name, text), JSON.stringify(text)).toBe(true)
      expect(refused(notes, text), JSON.stringify(text)).toBe(true)
    }
    expect(value(name, 'שלום\u200f Ada\u200e')).toBe('שלום\u200f Ada\u200e')
    expect(value(notes, 'Price \u2067שלום\u2069 today')).toBe('Price \u2067שלום\u2069 today')
  })

  it('multi-line: keeps tab and line breaks, refuses the other control characters', () => {
    expect(value(notes, 'one\r\ntwo\n\tthree')).toBe('one\r\ntwo\n\tthree')
    for (const text of ['a\u0000b', 'a\u000bb', 'a\u000cb', 'a\u007fb', 'a\u0085b']) expect(refused(notes, text), JSON.stringify(text)).toBe(true)
  })

  it('chains length rules on the trimmed text', () => {
    expect(refused(name, '   ')).toBe(true)
    expect(refused(name, 'x'.repeat(21))).toBe(true)
  })
})

describe('linkUrl', () => {
  const image = linkUrl({ allowHttp: false })
  const devImage = linkUrl({ allowHttp: true })

  it.each(['https://cdn.example/a.png', 'HTTPS://cdn.example/a.png?x=1#y', '/images/a.png', '/a?b=c'])('accepts %s', (url) => {
    expect(image.safeParse(url).success).toBe(true)
  })

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:image/svg+xml,<svg onload=alert(1)>',
    'file:///etc/passwd',
    'http://cdn.example/a.png',
    'ftp://cdn.example/a.png',
    '//evil.example/a.png',
    '/\\evil.example/a.png',
    '/\t/evil.example',
    'https:/evil.example',
    'https:evil.example',
    ' https://cdn.example/a.png',
    'https://cdn.example/a b.png',
    'https://cdn.example/\u0000',
    'https://user:secret@cdn.example/a.png', // shown to every visitor
    'https://user@cdn.example/a.png',
    'images/a.png',
    '',
  ])('refuses %j', (url) => {
    expect(image.safeParse(url).success).toBe(false)
  })

  it('accepts http: only when allowed (development)', () => {
    expect(devImage.safeParse('http://localhost:5173/a.png').success).toBe(true)
    expect(devImage.safeParse('javascript:alert(1)').success).toBe(false)
  })
})

describe('readQuery and readId (pages)', () => {
  const listing = z.object({ q: z.string().optional(), page: pageNumber })

  it('reads a query through its schema', () => {
    expect(readQuery(listing, new URLSearchParams('q=mug&page=2'))).toEqual({ q: 'mug', page: 2 })
    expect(readQuery(listing, new URLSearchParams(''))).toEqual({ page: 1 })
  })

  it('reads a field declared blankAsAbsent as not given when a form sends it blank; a bare flag stays', () => {
    const sorted = listing.extend({ sort: blankAsAbsent(z.enum(['name', 'price'])), fail: z.string().optional() })
    expect(readQuery(sorted, new URLSearchParams('q=lamp&sort=&fail'))).toEqual({ q: 'lamp', page: 1, fail: '' })
    expect(readQuery(sorted, new URLSearchParams('sort=name'))).toEqual({ page: 1, sort: 'name' })
    expect(() => readQuery(sorted, new URLSearchParams('sort=size'))).toThrow(expect.objectContaining({ status: 400 }))
  })

  it.each(['page=1e308', 'page=0x10', 'page=abc', 'page=1&page=2'])('answers %s with a 400 invalid_query and the issue', (query) => {
    expect(() => readQuery(listing, new URLSearchParams(query))).toThrow(
      expect.objectContaining({ status: 400, code: 'invalid_query', issues: [expect.objectContaining({ path: ['page'] })] }),
    )
  })

  it('reads an id from a path, or answers 404', () => {
    expect(readId('12')).toBe(12)
    for (const text of ['abc', '1e1', '0x10', '0', '-1', '', undefined]) {
      expect(() => readId(text, 'No such order.')).toThrow(expect.objectContaining({ status: 404, message: 'No such order.' }))
    }
  })
})
