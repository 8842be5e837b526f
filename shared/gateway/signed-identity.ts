import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Who a proxied request is from, in headers an upstream can trust: the signed-in user's id and
 * role, the request id and a timestamp, with an HMAC-SHA256 over them (and the method and path)
 * keyed by a secret only the store and that upstream know. A client cannot forge them: the
 * gateway drops any it sends.
 */
export const IDENTITY_HEADERS = {
  user: 'x-tessera-user-id',
  role: 'x-tessera-user-role',
  requestId: 'x-request-id',
  timestamp: 'x-tessera-timestamp',
  signature: 'x-tessera-signature',
} as const

export interface Identity {
  userId: string | null
  role: string | null
}

interface Signed extends Identity {
  method: string
  path: string
  requestId: string
  timestamp: number
}

const payload = ({ method, path, userId, role, requestId, timestamp }: Signed) => [timestamp, method, path, userId ?? '', role ?? '', requestId].join('\n')

/** The identity headers for one proxied request. */
export function identityHeaders(secret: string, signed: Signed): Record<string, string> {
  const headers: Record<string, string> = {
    [IDENTITY_HEADERS.requestId]: signed.requestId,
    [IDENTITY_HEADERS.timestamp]: String(signed.timestamp),
    [IDENTITY_HEADERS.signature]: createHmac('sha256', secret).update(payload(signed)).digest('hex'),
  }
  if (signed.userId !== null) headers[IDENTITY_HEADERS.user] = signed.userId
  if (signed.role !== null) headers[IDENTITY_HEADERS.role] = signed.role
  return headers
}

/**
 * For the upstream: the identity a request carries, if its signature is right and it is recent
 * (within `maxAgeMs`, 60 s by default: a captured request cannot be replayed later); else null.
 * @example const who = verifyIdentity(secret, { method: req.method, path: url.pathname, headers: req.headers })
 */
export function verifyIdentity(
  secret: string,
  request: { method: string; path: string; headers: Record<string, string | string[] | undefined> | Headers },
  { maxAgeMs = 60_000, now = Date.now() } = {},
): (Identity & { requestId: string }) | null {
  const header = (name: string) => {
    const value = request.headers instanceof Headers ? request.headers.get(name) : request.headers[name]
    return typeof value === 'string' ? value : null
  }
  const timestamp = Number(header(IDENTITY_HEADERS.timestamp))
  const signature = header(IDENTITY_HEADERS.signature)
  const requestId = header(IDENTITY_HEADERS.requestId)
  if (!Number.isSafeInteger(timestamp) || Math.abs(now - timestamp) > maxAgeMs || !signature || requestId === null) return null
  const signed = {
    method: request.method,
    path: request.path,
    userId: header(IDENTITY_HEADERS.user),
    role: header(IDENTITY_HEADERS.role),
    requestId,
    timestamp,
  }
  const expected = Buffer.from(createHmac('sha256', secret).update(payload(signed)).digest('hex'))
  const given = Buffer.from(signature)
  return given.length === expected.length && timingSafeEqual(given, expected) ? { userId: signed.userId, role: signed.role, requestId } : null
}
