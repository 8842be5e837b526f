import { describe, expect, it } from 'vitest'
import { isSameSitePath, redirect } from './signals.ts'

describe('isSameSitePath', () => {
  it.each(['/', '/account', '/products?q=a&page=2', '/a/b#c'])('accepts %s', (path) => {
    expect(isSameSitePath(path)).toBe(true)
  })

  it.each(['https://evil.example', '//evil.example', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', 'evil.example', 'javascript:alert(1)', ''])(
    'refuses %j',
    (path) => {
      expect(isSameSitePath(path)).toBe(false)
    },
  )
})

describe('redirect', () => {
  it('refuses an off-site target with a 400, not a 500', () => {
    expect(() => redirect('/\t/evil.example')).toThrow(expect.objectContaining({ status: 400, code: 'bad_redirect' }))
  })

  it('throws a redirect response for a same-site path', () => {
    try {
      redirect('/account', 303)
    } catch (err) {
      const res = (err as { getResponse(): Response }).getResponse()
      expect([res.status, res.headers.get('Location')]).toEqual([303, '/account'])
    }
  })
})
