import { describe, expect, it } from 'vitest'
import { listeningUrl } from './listening-url.ts'

describe('listeningUrl', () => {
  it('puts an IPv6 address in brackets, so the URL parses to that host and port', () => {
    expect(listeningUrl('::1', 3000)).toBe('http://[::1]:3000')
    expect(listeningUrl('fe80::1%eth0', 8080)).toBe('http://[fe80::1%eth0]:8080')
    const url = new URL(listeningUrl('::1', 3000))
    expect([url.hostname, url.port]).toEqual(['[::1]', '3000'])
  })

  it('says localhost for every interface, and an IPv4 address or a name as it is', () => {
    expect(listeningUrl('0.0.0.0', 3000)).toBe('http://localhost:3000')
    expect(listeningUrl('::', 3000)).toBe('http://localhost:3000')
    expect(listeningUrl('127.0.0.1', 3000)).toBe('http://127.0.0.1:3000')
    expect(listeningUrl('shop.internal', 3000)).toBe('http://shop.internal:3000')
  })
})
