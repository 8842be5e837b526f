import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import { setCookie } from 'hono/cookie'
import { sessionSecret } from '#shared/config'
import { cookieDefaults, readCookie, type AppEnv } from '#shared/http'

/**
 * The device cookie: proof that this browser logged in as a user before, so strangers' failures
 * do not hold it (decision 007). `<user id>.<random id>.<expiry ms>.<HMAC-SHA256>`, signed with
 * SESSION_SECRET: a new secret voids every one of them, and nothing else.
 */
export const DEVICE_COOKIE = 'tessera_device'
export const DEVICE_TTL_MS = 365 * 24 * 60 * 60 * 1000
const FORMAT = /^(\d{1,15})\.([A-Za-z0-9_-]{22})\.(\d{13})\.([A-Za-z0-9_-]{43})$/

export interface Device {
  userId: number
  /** The cookie's random part: its own failures are counted under it. */
  id: string
}

const macOf = (secret: string, body: string) => createHmac('sha256', secret).update(`tessera-device:${body}`).digest('base64url')

export function signDevice(secret: string, userId: number, now = Date.now()): string {
  const body = `${userId}.${randomBytes(16).toString('base64url')}.${now + DEVICE_TTL_MS}`
  return `${body}.${macOf(secret, body)}`
}

/** The device a cookie value proves, or undefined when it is malformed, forged, tampered with or expired. */
export function verifyDevice(secret: string, value: string, now = Date.now()): Device | undefined {
  const match = FORMAT.exec(value)
  if (!match) return undefined
  const [, userId, id, expiresAt, mac] = match as unknown as [string, string, string, string, string]
  // The MAC's text is compared, not its decoded bytes: base64url's last character has spare bits.
  if (!timingSafeEqual(Buffer.from(mac), Buffer.from(macOf(secret, `${userId}.${id}.${expiresAt}`)))) return undefined
  if (Number(expiresAt) <= now) return undefined
  return { userId: Number(userId), id }
}

/** Marks this browser as a device of `userId` for a year (a new one at each good login); nothing without a key. */
export function setDeviceCookie(c: Context<AppEnv>, userId: number): void {
  const secret = sessionSecret(c.var.config)
  if (!secret) return
  setCookie(c, DEVICE_COOKIE, signDevice(secret, userId), { ...cookieDefaults(c), maxAge: DEVICE_TTL_MS / 1000, expires: new Date(Date.now() + DEVICE_TTL_MS) })
}

/** The device this request's cookie proves, if any. */
export function readDevice(c: Context<AppEnv>): Device | undefined {
  const secret = sessionSecret(c.var.config)
  const value = secret && readCookie(c, DEVICE_COOKIE)
  return value ? verifyDevice(secret, value) : undefined
}
