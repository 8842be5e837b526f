import { describe, expect, it } from 'vitest'
import { evaluatePreconditions } from './preconditions.ts'

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
})
