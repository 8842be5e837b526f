import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword, decoyHash } from './passwords.server.ts'

describe('passwords', () => {
  it('hashes with scrypt, a random salt, and the parameters stored with the hash', async () => {
    const a = await hashPassword('correct horse')
    const b = await hashPassword('correct horse')
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{86}$/)
    expect(a).not.toBe(b)
    expect(a).not.toContain('correct horse')
  })

  it('verifies the right password and refuses others', async () => {
    const stored = await hashPassword('correct horse')
    expect(await verifyPassword('correct horse', stored)).toBe(true)
    expect(await verifyPassword('correct horsE', stored)).toBe(false)
    expect(await verifyPassword('', stored)).toBe(false)
  })

  it('verifies hashes made with other parameters (so they can be raised later)', async () => {
    const cheaper = await hashPassword('old password', { N: 2 ** 14, r: 8, p: 1 })
    expect(cheaper.startsWith('scrypt$16384$')).toBe(true)
    expect(await verifyPassword('old password', cheaper)).toBe(true)
  })

  it('refuses a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'md5$abc')).toBe(false)
  })

  it('has a decoy hash in the real format, with the real cost, that no password opens', async () => {
    const real = await hashPassword('anything')
    expect(decoyHash.split('$').slice(0, 4)).toEqual(real.split('$').slice(0, 4))
    expect(decoyHash.length).toBe(real.length)
    expect(await verifyPassword('anything', decoyHash)).toBe(false)
    expect(await verifyPassword('', decoyHash)).toBe(false)
  })
})
