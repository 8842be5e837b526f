import { describe, expect, it } from 'vitest'
import { evaluatePreconditions, httpDate, ifMatchNames, ifNoneMatchNames } from './preconditions.ts'

const file = { etag: '"v2"', lastModified: 'Tue, 01 Dec 2026 12:00:00 GMT' }
const before = 'Tue, 01 Dec 2026 11:00:00 GMT'
const after = 'Tue, 01 Dec 2026 13:00:00 GMT'

describe('evaluatePreconditions (RFC 9110 §13.2.2)', () => {
  it('checks If-Match strongly, and If-Unmodified-Since only without it', () => {
    expect(evaluatePreconditions({ ifMatch: '"v1", "v2"' }, file).answer).toBe('serve')
    expect(evaluatePreconditions({ ifMatch: 'W/"v2"' }, file).answer).toBe('failed')
    expect(evaluatePreconditions({ ifMatch: '*' }, file).answer).toBe('serve')
    expect(evaluatePreconditions({ ifUnmodifiedSince: before }, file).answer).toBe('failed')
    expect(evaluatePreconditions({ ifUnmodifiedSince: after }, file).answer).toBe('serve')
    expect(evaluatePreconditions({ ifMatch: '"v2"', ifUnmodifiedSince: before }, file).answer).toBe('serve')
    expect(evaluatePreconditions({ ifUnmodifiedSince: 'yesterday' }, file).answer).toBe('serve')
  })

  it('answers 304 before looking at a Range, and ignores If-Modified-Since beside If-None-Match', () => {
    expect(evaluatePreconditions({ ifNoneMatch: '"v2"', range: 'bytes=0-1', ifRange: '"v1"' }, file)).toEqual({ answer: 'notModified', etag: '"v2"' })
    expect(evaluatePreconditions({ ifNoneMatch: '"v1"', ifModifiedSince: after }, file).answer).toBe('serve')
    expect(evaluatePreconditions({ ifModifiedSince: after }, { etag: '"v2"' }).answer).toBe('serve') // no date to compare
  })

  it('keeps a Range only when If-Range names this version, and reads If-Range only beside a Range', () => {
    expect(evaluatePreconditions({ range: 'bytes=0-1', ifRange: '"v2"' }, file).answer).toBe('serve')
    expect(evaluatePreconditions({ range: 'bytes=0-1', ifRange: '"v1"' }, file).answer).toBe('whole')
    expect(evaluatePreconditions({ range: 'bytes=0-1', ifRange: file.lastModified }, file).answer).toBe('serve')
    expect(evaluatePreconditions({ range: 'bytes=0-1', ifRange: file.lastModified }, { etag: '"v2"' }).answer).toBe('whole')
    expect(evaluatePreconditions({ ifRange: '"v1"' }, file).answer).toBe('serve')
  })

  it('ignores a date condition that is no HTTP-date (§13.1.3, §13.1.4), which Date.parse would read as one', () => {
    // Date.parse('1') is 2001, Date.parse('2030') 2030: a 412 and a 304 for junk.
    expect(evaluatePreconditions({ ifUnmodifiedSince: '1' }, file).answer).toBe('serve')
    expect(evaluatePreconditions({ ifModifiedSince: '2030' }, file).answer).toBe('serve')
    expect(evaluatePreconditions({ ifModifiedSince: '2030-01-01T00:00:00Z' }, file).answer).toBe('serve')
    // The three forms §5.6.7 names are read.
    expect(evaluatePreconditions({ ifModifiedSince: after }, file).answer).toBe('notModified')
    expect(evaluatePreconditions({ ifModifiedSince: 'Tuesday, 01-Dec-26 13:00:00 GMT' }, file).answer).toBe('notModified')
    expect(evaluatePreconditions({ ifModifiedSince: 'Tue Dec  1 13:00:00 2026' }, file).answer).toBe('notModified')
    expect(httpDate('Tue, 01 Dec 2026 12:00:00 GMT')).toBe(Date.UTC(2026, 11, 1, 12))
  })
})

describe('entity tag comparison (§8.8.3.2)', () => {
  it('matches If-Match strongly: a weak tag on either side never matches, `*` always does', () => {
    expect(ifMatchNames('"a", "b"', '"b"')).toBe(true)
    expect(ifMatchNames('W/"b"', '"b"')).toBe(false)
    expect(ifMatchNames('"b"', 'W/"b"')).toBe(false)
    expect(ifMatchNames(' * ', '"b"')).toBe(true)
    expect(ifMatchNames('b', '"b"')).toBe(false)
  })

  it('matches If-None-Match weakly, in a list, or `*`', () => {
    expect(ifNoneMatchNames('"x", W/"b"', '"b"')).toBe(true)
    expect(ifNoneMatchNames('"b"', 'W/"b"')).toBe(true)
    expect(ifNoneMatchNames('*', '"b"')).toBe(true)
    expect(ifNoneMatchNames('"bb"', '"b"')).toBe(false)
  })
})
