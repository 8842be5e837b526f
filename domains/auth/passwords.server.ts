import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/** OWASP's scrypt floor (N=2^17, r=8, p=1) costs ~128 MiB per hash; 2^15 keeps a login ~50 ms and 32 MiB. */
const defaults = { N: 2 ** 15, r: 8, p: 1 }
const KEY_LENGTH = 64

function derive(password: string, salt: Buffer, { N, r, p }: typeof defaults): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r }
  return new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))))
}

/**
 * Hashes a password with scrypt and a random salt. The result names its parameters
 * (`scrypt$N$r$p$salt$hash`), so they can be raised later without breaking old hashes.
 * @example const stored = await hashPassword('correct horse battery staple')
 */
export async function hashPassword(password: string, params = defaults): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, params)
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** True when `password` matches `stored`; compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(N), r: Number(r), p: Number(p) })
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/**
 * A hash no password matches: checked for unknown emails, so they take as long as known ones.
 * Random bytes in the stored format cost the same to check as a real hash, and nothing to make
 * (hashing a throwaway password at start-up took a whole scrypt of CPU).
 */
export const decoyHash = [
  'scrypt',
  defaults.N,
  defaults.r,
  defaults.p,
  randomBytes(16).toString('base64url'),
  randomBytes(KEY_LENGTH).toString('base64url'),
].join('$')
