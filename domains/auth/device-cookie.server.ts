import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import { setCookie } from 'hono/cookie'
import { sessionSecret } from '#shared/config'
import { cookieDefaults, readOwnCookie, type AppEnv } from '#shared/http'
import type { UserRow } from './users.server.ts'

/**
 * The device cookie: proof that this browser logged in as a user before, so strangers' failures
 * do not hold it (decision 007). `<user id>.<random id>.<expiry ms>.<HMAC-SHA256>`, keyed with
 * SESSION_SECRET (a new secret voids every one, and nothing else) over the text and the user's
 * password hash (a password change voids theirs).
 */
export const DEVICE_COOKIE = 'tessera_device'
export const DEVICE_TTL_MS = 365 * 24 * 60 * 60 * 1000
const FORMAT = /^(\d{1,15})\.([A-Za-z0-9_-]{22})\.(\d{13})\.([A-Za-z0-9_-]{43})$/

export type DeviceOwner = Pick<UserRow, 'id' | 'password_hash'>

const macOf = (secret: string, body: string, owner: DeviceOwner) =>
  createHmac('sha256', secret).update(`tessera-device:${body}:${owner.password_hash}`).digest('base64url')

export function signDevice(secret: string, owner: DeviceOwner, now = Date.now()): string {
  const body = `${owner.id}.${randomBytes(16).toString('base64url')}.${now + DEVICE_TTL_MS}`
  return `${body}.${macOf(secret, body, owner)}`
}

/**
 * The cookie's random id when `value` is a live device cookie of `owner` (its failures are
 * counted under it); undefined when malformed, forged, tampered with, expired, someone else's or
 * older than the owner's password.
 */
export function verifyDevice(secret: string, value: string, owner: DeviceOwner, now = Date.now()): string | undefined {
  const match = FORMAT.exec(value)
  if (!match) return undefined
  const [, userId, id, expiresAt, mac] = match as unknown as [string, string, string, string, string]
  if (Number(userId) !== owner.id || Number(expiresAt) <= now) return undefined
  // The MAC's text is compared, not its decoded bytes: base64url's last character has spare bits.
  return timingSafeEqual(Buffer.from(mac), Buffer.from(macOf(secret, `${userId}.${id}.${expiresAt}`, owner))) ? id : undefined
}

/** Marks this browser as a device of `owner` for a year (a new one at each good login); nothing without a key. */
export function setDeviceCookie(c: Context<AppEnv>, owner: DeviceOwner): void {
  const secret = sessionSecret(c.var.config)
  if (!secret) return
  setCookie(c, DEVICE_COOKIE, signDevice(secret, owner), { ...cookieDefaults(c), maxAge: DEVICE_TTL_MS / 1000, expires: new Date(Date.now() + DEVICE_TTL_MS) })
}

/** Whether the request carries a device cookie at all (worth looking its owner up). */
export const hasDeviceCookie = (c: Context<AppEnv>): boolean => Boolean(sessionSecret(c.var.config) && readOwnCookie(c, DEVICE_COOKIE))

/** The id of the request's device cookie when it is a live one of `owner`. */
export function deviceOf(c: Context<AppEnv>, owner: DeviceOwner): string | undefined {
  const secret = sessionSecret(c.var.config)
  const value = secret && readOwnCookie(c, DEVICE_COOKIE)
  return value ? verifyDevice(secret, value, owner) : undefined
}
