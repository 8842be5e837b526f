import { createHash, createHmac, randomBytes } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { sessionSecret } from '#shared/config'
import type { Db } from '#shared/db'
import { cookieDefaults, readOwnCookie, type AppEnv } from '#shared/http'
import { currentUser } from '../auth/index.ts'
import type { AddressDraft } from './schemas.ts'

/*
 * A checkout posted after its session ended (30 days unused, signed out in another tab, a
 * password changed elsewhere) sends the shopper to log in; what they typed was lost. Its shipping
 * address is kept here, on the server, for DRAFT_MINUTES: the browser holds only a random token
 * (an HttpOnly cookie, never a URL that logs keep), and the card is never kept (retyped, as a
 * payment form asks anyway). Given back once, by the checkout page after the log-in, and only to
 * the account whose checkout page it was typed into, for the cart it was typed for.
 *
 * Whose page it was: the page carries `draftFor`, an HMAC of the account's id keyed with
 * SESSION_SECRET, and the draft is filed under it (with the cart's version). The cart alone is
 * not enough: on a shared computer, A's session ends at checkout and A walks away from the log-in
 * page; B logs in there, and B's cart may well be the same (one of the shop's best seller), so B
 * would see A's address. Nor is "the log-in the checkout sent them to" (B logs in on that very
 * page), or "cleared at sign-out" (A never signed out). The account is what the draft belongs to,
 * and only a page shown to that account can name it; a form without it (a page from before, or
 * one forged) keeps nothing. Production without SESSION_SECRET keeps no drafts (the shopper
 * retypes, as before drafts existed).
 */

const DRAFT_COOKIE = 'tessera_checkout'
const DRAFT_MINUTES = 30
/**
 * The most drafts kept at once. Anyone can post a signed-out checkout, so a script could otherwise
 * fill the disk (up to ~1.3 KB a draft, for DRAFT_MINUTES); past it, a draft is not kept and the
 * shopper retypes the address, as before drafts existed.
 */
export const MAX_DRAFTS = 10_000
/** The address fields the checkout form posts, and the most of each kept (its limit, with room for the error shown). */
const ADDRESS_FIELDS: Record<keyof AddressDraft, number> = { name: 200, line1: 400, line2: 400, city: 200, postalCode: 40, country: 10 }

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex')
const OWNER_PROOF = /^[\w-]{43}$/

/** What a checkout page shown to this account sends as `draftFor` (undefined: no key, no drafts). */
export function draftOwnerProof(c: Context<AppEnv>, userId: number): string | undefined {
  const secret = sessionSecret(c.var.config)
  return secret && createHmac('sha256', secret).update(`tessera-checkout-draft:${userId}`).digest('base64url')
}

/** What a draft is filed under: whose checkout it was, and for which cart. */
const checkoutKey = (ownerProof: string, cartVersion: string) => hashOf(`${ownerProof}:${cartVersion}`)

/**
 * Before the sign-in guard of the checkout page: a post from someone no longer signed in keeps its
 * address (the guard then sends them to log in and back).
 */
export const keepAddressOfSignedOutCheckout = (): MiddlewareHandler<AppEnv> =>
  async function keepAddressOfSignedOutCheckout(c, next) {
    if (c.req.method === 'POST' && !(await currentUser(c))) await saveDraft(c)
    await next()
  }

async function saveDraft(c: Context<AppEnv>): Promise<void> {
  let form: FormData
  try {
    form = await c.req.formData()
  } catch {
    return // not a form: nothing to keep
  }
  const cartVersion = form.get('cartVersion')
  if (typeof cartVersion !== 'string' || !/^[\w-]{1,64}$/.test(cartVersion)) return
  // Checked only when it is given back (against the account then signed in): a forged one matches no one.
  const ownerProof = form.get('draftFor')
  if (typeof ownerProof !== 'string' || !OWNER_PROOF.test(ownerProof) || !sessionSecret(c.var.config)) return
  const address: AddressDraft = {}
  for (const [field, max] of Object.entries(ADDRESS_FIELDS) as [keyof AddressDraft, number][]) {
    const value = form.get(field)
    if (typeof value === 'string' && value !== '') address[field] = value.slice(0, max)
  }
  if (Object.keys(address).length === 0) return
  const db = c.var.db
  const now = Date.now()
  await db.deleteFrom('checkout_drafts').where('expires_at', '<', now).execute() // the few left unclaimed
  if (await isFull(db)) return
  const token = randomBytes(32).toString('base64url')
  await db
    .insertInto('checkout_drafts')
    .values({
      token_hash: hashOf(token),
      checkout_key: checkoutKey(ownerProof, cartVersion),
      shipping: JSON.stringify(address),
      expires_at: now + DRAFT_MINUTES * 60_000,
    })
    .execute()
  setCookie(c, DRAFT_COOKIE, token, { ...cookieDefaults(c), maxAge: DRAFT_MINUTES * 60 })
}

/** Whether MAX_DRAFTS are kept: read through the primary key's index, that many entries at most (no count of the table). */
async function isFull(db: Db): Promise<boolean> {
  return !!(await db
    .selectFrom('checkout_drafts')
    .select('token_hash')
    .limit(1)
    .offset(MAX_DRAFTS - 1)
    .executeTakeFirst())
}

/**
 * The address kept for this browser, once: taken (deleted, its cookie cleared) whether or not it
 * is given back; given back only to the account whose checkout page it was typed into, for the
 * cart it was typed for, and within its time.
 */
export async function takeAddressDraft(c: Context<AppEnv>, userId: number, cartVersion: string): Promise<AddressDraft | undefined> {
  const token = readOwnCookie(c, DRAFT_COOKIE)
  if (!token) return undefined
  deleteCookie(c, DRAFT_COOKIE, cookieDefaults(c))
  const row = await c.var.db.deleteFrom('checkout_drafts').where('token_hash', '=', hashOf(token)).returningAll().executeTakeFirst()
  const ownerProof = draftOwnerProof(c, userId)
  if (!row || !ownerProof || row.expires_at < Date.now() || row.checkout_key !== checkoutKey(ownerProof, cartVersion)) return undefined
  return JSON.parse(row.shipping) as AddressDraft
}
