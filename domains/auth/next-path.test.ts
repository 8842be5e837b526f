import { describe, expect, it } from 'vitest'
import { MAX_LOCATION_LENGTH } from '#shared/http'
import { loginPath, safeNext } from './next-path.ts'

describe('safeNext', () => {
  it.each(['/admin/products?q=日本', '/%E3%80%82', '/orders/7?placed'])('keeps the same-site path %s', (next) => {
    expect(safeNext(next)).toBe(next)
  })

  it.each(['https://evil.example', '//evil.example', '/\r\nSet-Cookie: a=b', '。', '', null, undefined, `/${'a'.repeat(MAX_LOCATION_LENGTH)}`])(
    'goes home instead of %j',
    (next) => {
      expect(safeNext(next)).toBe('/')
    },
  )
})

describe('loginPath', () => {
  it('comes back to the page and its query', () => {
    expect(loginPath('/admin/products?q=日本', '/admin/products')).toBe(`/login?next=${encodeURIComponent('/admin/products?q=日本')}`)
  })

  it('drops a query too long to come back to, then the path', () => {
    const long = `?q=${'日'.repeat(300)}`
    expect(loginPath(`/admin/products${long}`, '/admin/products')).toBe('/login?next=%2Fadmin%2Fproducts')
    const deep = `/${'a'.repeat(MAX_LOCATION_LENGTH)}`
    expect(loginPath(deep, deep)).toBe('/login')
  })
})
