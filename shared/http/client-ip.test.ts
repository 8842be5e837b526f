import { describe, expect, it } from 'vitest'
import { forwardedClient } from './client-ip.server.ts'

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
