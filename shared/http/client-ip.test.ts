import { describe, expect, it } from 'vitest'
import { forwardedClient, networkOf } from './client-ip.server.ts'

describe('forwardedClient', () => {
  it('takes the entry the proxies added, counted from the end', () => {
    expect(forwardedClient('203.0.113.7', 1)).toBe('203.0.113.7') // a proxy that replaces the header
    expect(forwardedClient('6.6.6.6, 203.0.113.7', 1)).toBe('203.0.113.7') // one that appends: the client wrote the first
    expect(forwardedClient('6.6.6.6,203.0.113.7 , 10.0.0.2', 2)).toBe('203.0.113.7') // a CDN, then a load balancer
  })

  it('takes the first when the list is shorter than the proxies said', () => {
    expect(forwardedClient(' 203.0.113.7 ', 3)).toBe('203.0.113.7')
  })
})

describe('networkOf', () => {
  it('counts an IPv6 client by its /64, however it is written', () => {
    for (const address of ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2:0:0:0:7', '2001:DB8:1:2::a%eth0'])
      expect([address, networkOf(address)]).toEqual([address, '2001:db8:1:2::/64'])
    expect(networkOf('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64') // the next /64: another client
    expect(networkOf('::1')).toBe('0:0:0:0::/64')
    expect(networkOf('64:ff9b::203.0.113.7')).toBe('64:ff9b:0:0::/64')
  })

  it('keeps an IPv4 address, also written as IPv6, and anything else as it is', () => {
    expect(networkOf('203.0.113.7')).toBe('203.0.113.7')
    expect(networkOf('::ffff:203.0.113.7')).toBe('203.0.113.7')
    expect(networkOf('unknown')).toBe('unknown')
  })
})
