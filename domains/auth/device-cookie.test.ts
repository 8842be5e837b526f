import { describe, expect, it } from 'vitest'
import { DEVICE_TTL_MS, signDevice, verifyDevice } from './device-cookie.server.ts'

const secret = 'a-test-secret-of-at-least-32-characters'
const ada = { id: 42, password_hash: 'scrypt$32768$8$1$salt$hash' }
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

describe('device cookie', () => {
  it("proves its user's device, with a random id of its own", () => {
    const id = verifyDevice(secret, signDevice(secret, ada), ada)
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(verifyDevice(secret, signDevice(secret, ada), ada)).not.toBe(id)
  })

  it('proves nothing under another secret (a new SESSION_SECRET voids them all)', () => {
    expect(verifyDevice('another-secret-of-at-least-32-characters', signDevice(secret, ada), ada)).toBeUndefined()
  })

  it("proves nothing for another user, nor once its user's password changed", () => {
    const value = signDevice(secret, ada)
    expect(verifyDevice(secret, value, { ...ada, id: 43 })).toBeUndefined()
    expect(verifyDevice(secret, value, { ...ada, password_hash: 'scrypt$32768$8$1$salt$other' })).toBeUndefined()
  })

  it('proves nothing once tampered with: user id, random id, expiry, MAC, or the MAC text alone', () => {
    const value = signDevice(secret, ada)
    const [userId, id, expiresAt, mac] = value.split('.') as [string, string, string, string]
    const flip = (text: string, at: number) => `${text.slice(0, at)}${BASE64URL[BASE64URL.indexOf(text[at]!) ^ 1]}${text.slice(at + 1)}`
    const bob = { ...ada, id: 43 }
    expect(verifyDevice(secret, [43, id, expiresAt, mac].join('.'), bob)).toBeUndefined()
    for (const forged of [
      [userId, flip(id, 0), expiresAt, mac],
      [userId, id, Number(expiresAt) + 1, mac],
      [userId, id, expiresAt, flip(mac, 0)],
      [userId, id, expiresAt, flip(mac, mac.length - 1)], // decodes to the same bytes
    ]) {
      expect(verifyDevice(secret, forged.join('.'), ada)).toBeUndefined()
    }
  })

  it('lasts a year', () => {
    const now = Date.now()
    const value = signDevice(secret, ada, now)
    expect(verifyDevice(secret, value, ada, now + DEVICE_TTL_MS - 1)).toBeDefined()
    expect(verifyDevice(secret, value, ada, now + DEVICE_TTL_MS)).toBeUndefined()
    expect(DEVICE_TTL_MS).toBe(365 * 24 * 60 * 60 * 1000)
  })

  it('refuses anything malformed', () => {
    for (const value of ['', 'made-up', '1.2.3.4', `${signDevice(secret, ada)}.extra`, ` ${signDevice(secret, ada)}`])
      expect(verifyDevice(secret, value, ada)).toBeUndefined()
  })
})
