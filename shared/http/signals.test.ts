import { describe, expect, it } from 'vitest'
import { isRedirectablePath, isSameSitePath, locationOf, MAX_LOCATION_LENGTH, redirect } from './signals.ts'

describe('isSameSitePath', () => {
  it.each(['/', '/account', '/products?q=a&page=2', '/a/b#c', '/.//evil.example'])('accepts %s', (path) => {
    expect(isSameSitePath(path)).toBe(true)
  })

  it.each(['https://evil.example', '//evil.example', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', 'evil.example', 'javascript:alert(1)', ''])(
    'refuses %j',
    (path) => {
      expect(isSameSitePath(path)).toBe(false)
    },
  )
})

describe('locationOf (every Location the app sends)', () => {
  it('keeps a plain path as it is', () => {
    expect(locationOf('/products?q=a&page=2#top')).toBe('/products?q=a&page=2#top')
  })

  it('percent-encodes non-ASCII text as UTF-8, as a browser sends it', () => {
    expect(locationOf('/admin/products?q=日本')).toBe('/admin/products?q=%E6%97%A5%E6%9C%AC')
    expect(locationOf('/。')).toBe('/%E3%80%82')
    expect(locationOf('/products?q=café')).toBe('/products?q=caf%C3%A9') // U+00E9 too: Latin-1 is no URL encoding
    expect(locationOf('/x?e=😀')).toBe('/x?e=%F0%9F%98%80')
  })

  it('leaves escapes already there alone, so encoding twice changes nothing', () => {
    expect(locationOf('/login?next=%2Fadmin%3Fq%3D%E6%97%A5')).toBe('/login?next=%2Fadmin%3Fq%3D%E6%97%A5')
    expect(locationOf(locationOf('/a b?q=日本 "x"'))).toBe(locationOf('/a b?q=日本 "x"'))
  })

  it('encodes what is not a URI character: spaces, quotes, angle brackets, a stray %', () => {
    expect(locationOf('/a b?q="<x>"&p=100%')).toBe('/a%20b?q=%22%3Cx%3E%22&p=100%25')
  })

  it('writes a lone surrogate as U+FFFD instead of failing', () => {
    expect(locationOf('/x?q=\ud800')).toBe('/x?q=%EF%BF%BD')
  })

  it('never resolves dot segments: /.//evil.example stays a path, not //evil.example', () => {
    expect(locationOf('/.//evil.example')).toBe('/.//evil.example')
  })

  it.each(['/\r\nSet-Cookie: a=b', '/%0d%0a'.replace('%0d%0a', '\r\n'), '//evil.example', 'https://evil.example', '/\\evil.example'])(
    'refuses %j with a 400',
    (to) => {
      expect(() => locationOf(to)).toThrow(expect.objectContaining({ status: 400, code: 'bad_redirect' }))
    },
  )

  it(`refuses a target longer than ${MAX_LOCATION_LENGTH} characters once encoded`, () => {
    expect(locationOf(`/${'a'.repeat(MAX_LOCATION_LENGTH - 1)}`)).toHaveLength(MAX_LOCATION_LENGTH)
    expect(() => locationOf(`/${'a'.repeat(MAX_LOCATION_LENGTH)}`)).toThrow(
      expect.objectContaining({ status: 400, code: 'bad_redirect', message: 'That address is too long.' }),
    )
    // 230 characters of Japanese are 2,070 once encoded: too long, though short as text.
    expect(isRedirectablePath(`/?q=${'日'.repeat(230)}`)).toBe(false)
    expect(isRedirectablePath(`/?q=${'日'.repeat(200)}`)).toBe(true)
  })
})

describe('redirect', () => {
  it('refuses an off-site target with a 400, not a 500', () => {
    expect(() => redirect('/\t/evil.example')).toThrow(expect.objectContaining({ status: 400, code: 'bad_redirect' }))
  })

  const thrown = (fn: () => void) => {
    try {
      fn()
    } catch (err) {
      return (err as { getResponse(): Response }).getResponse()
    }
    throw new Error('no redirect')
  }

  it('throws a redirect response for a same-site path', () => {
    const res = thrown(() => redirect('/account', 303))
    expect([res.status, res.headers.get('Location')]).toEqual([303, '/account'])
  })

  it('throws a redirect to a non-ASCII path instead of failing to build its header (was a 500)', () => {
    const res = thrown(() => redirect('/admin/products?q=日本'))
    expect([res.status, res.headers.get('Location')]).toEqual([302, '/admin/products?q=%E6%97%A5%E6%9C%AC'])
  })
})
