import { describe, expect, it } from 'vitest'
import { DEVICE_TTL_MS, signDevice, verifyDevice } from './device-cookie.server.ts'

const secret = 'a-test-secret-of-at-least-32-characters'
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

describe('device cookie', () => {
  it('proves its user, with a random id of its own', () => {
    const value = signDevice(secret, 42)
    const device = verifyDevice(secret, value)
    expect(device).toEqual({ userId: 42, id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) })
    expect(verifyDevice(secret, signDevice(secret, 42))?.id).not.toBe(device?.id)
  })

  it('proves nothing under another secret (a new SESSION_SECRET voids them all)', () => {
    expect(verifyDevice('another-secret-of-at-least-32-characters', signDevice(secret, 42))).toBeUndefined()
  })

  it('proves nothing once tampered with: user id, random id, expiry, MAC, or the MAC text alone', () => {
    const value = signDevice(secret, 42)
    const [userId, id, expiresAt, mac] = value.split('.') as [string, string, string, string]
    const flip = (text: string, at: number) => `${text.slice(0, at)}${BASE64URL[BASE64URL.indexOf(text[at]!) ^ 1]}${text.slice(at + 1)}`
    for (const forged of [
      [43, id, expiresAt, mac],
      [userId, flip(id, 0), expiresAt, mac],
      [userId, id, Number(expiresAt) + 1, mac],
      [userId, id, expiresAt, flip(mac, 0)],
      [userId, id, expiresAt, flip(mac, mac.length - 1)], // decodes to the same bytes
    ]) {
      expect(verifyDevice(secret, forged.join('.'))).toBeUndefined()
    }
  })

  it('lasts a year', () => {
    const now = Date.now()
    const value = signDevice(secret, 7, now)
    expect(verifyDevice(secret, value, now + DEVICE_TTL_MS - 1)).toBeDefined()
    expect(verifyDevice(secret, value, now + DEVICE_TTL_MS)).toBeUndefined()
    expect(DEVICE_TTL_MS).toBe(365 * 24 * 60 * 60 * 1000)
  })

  it('refuses anything malformed', () => {
    for (const value of ['', 'made-up', '1.2.3.4', `${signDevice(secret, 1)}.extra`, ` ${signDevice(secret, 1)}`]) expect(verifyDevice(secret, value)).toBeUndefined()
  })
})
