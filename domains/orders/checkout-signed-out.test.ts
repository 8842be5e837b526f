import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertMany } from '#shared/db'
import { createTestApp } from '../../tests/support/test-app.ts'
import { MAX_DRAFTS } from './checkout-draft.server.ts'

/*
 * A shopper types their address at checkout, but their session has ended meanwhile (here: signed
 * out in another tab; 30 days unused, a password change elsewhere do the same). Placing the order
 * sends them to log in; back at checkout, the address they typed is there, without JavaScript.
 */

let testApp: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  testApp = await createTestApp({ TRUST_PROXY: 'true' })
  await testApp.db.updateTable('products').set({ stock: 50 }).where('id', 'in', [31, 32]).execute()
})
afterAll(() => testApp.close())

/** A browser without JavaScript: it keeps cookies and posts forms. */
function browser() {
  const jar = new Map<string, string>()
  const ip = `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`
  return {
    jar,
    async call(path: string, form?: Record<string, string>) {
      const res = await testApp.app.request(`http://localhost${path}`, {
        method: form ? 'POST' : 'GET',
        body: form ? new URLSearchParams(form) : undefined,
        headers: {
          Origin: 'http://localhost',
          'X-Forwarded-For': ip,
          ...(form && { 'Content-Type': 'application/x-www-form-urlencoded' }),
          ...(jar.size > 0 && { Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') }),
        },
      })
      for (const line of res.headers.getSetCookie()) {
        const [name, value] = line.split(';')[0]!.split('=') as [string, string]
        if (value && !/max-age=0/i.test(line)) jar.set(name, value)
        else jar.delete(name)
      }
      return res
    },
  }
}

const address = { name: 'Zoë Ørsted-Łukasiewicz', line1: '12 Rue du Général 🏠', line2: '', city: 'Saint-Étienne', postalCode: '42000', country: 'fr' }
const card = { cardNumber: '4242 4242 4242 4242', cardExpMonth: '12', cardExpYear: '2099', cardCvc: '123' }
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]

async function shopperAtCheckout(email: string, productId: number) {
  const b = browser()
  expect((await b.call('/register', { email, name: 'Shopper', password: 'a long password' })).status).toBe(303)
  expect((await b.call('/cart', { intent: 'add', productId: String(productId), quantity: '1' })).status).toBe(303)
  const html = await (await b.call('/checkout')).text()
  return { b, form: { idempotencyKey: hidden(html, 'idempotencyKey')!, cartVersion: hidden(html, 'cartVersion')!, draftFor: hidden(html, 'draftFor')! } }
}

const signOutElsewhere = async (b: ReturnType<typeof browser>) => {
  const session = [...b.jar].find(([name]) => name === 'tessera_session')!
  // Another tab signs out: this one still holds the session cookie, which finds no session now.
  await testApp.db.deleteFrom('sessions').execute()
  return session
}

describe('checkout posted after the session ended', () => {
  it('sends the shopper to log in without the address in the URL, and gives it back at checkout, once', async () => {
    const email = `lapsed-${Date.now()}@example.com`
    const { b, form } = await shopperAtCheckout(email, 31)
    await signOutElsewhere(b)
    const posted = await b.call('/checkout', { ...form, ...address, ...card })
    expect(posted.status).toBe(302)
    const location = posted.headers.get('location')!
    expect(location).toBe('/login?next=%2Fcheckout')
    expect(decodeURIComponent(location)).not.toContain('Rue')
    expect(
      await testApp.db
        .selectFrom('orders')
        .select('id')
        .where('user_id', 'in', testApp.db.selectFrom('users').select('id').where('email', '=', email))
        .execute(),
    ).toEqual([])

    const loggedIn = await b.call('/login', { email, password: 'a long password', next: '/checkout' })
    expect([loggedIn.status, loggedIn.headers.get('location')]).toEqual([303, '/checkout'])
    const back = await (await b.call('/checkout')).text()
    expect(back).toContain('value="Zoë Ørsted-Łukasiewicz"')
    expect(back).toContain('value="12 Rue du Général 🏠"')
    expect(back).toContain('value="Saint-Étienne"')
    expect(back).toContain('enter your card again')
    expect(back).not.toMatch(/name="card\w+" value=/) // the card is never kept
    expect(back.split('self.__TESSERA__')[1]).not.toContain('4242')
    // Given back once: a later visit to checkout starts blank.
    expect(await (await b.call('/checkout')).text()).not.toContain('Saint-Étienne')
    expect(await testApp.db.selectFrom('checkout_drafts').selectAll().execute()).toEqual([])
  })

  it('never gives it to another account signed in next on that browser (another cart)', async () => {
    const { b, form } = await shopperAtCheckout(`first-${Date.now()}@example.com`, 31)
    await signOutElsewhere(b)
    expect((await b.call('/checkout', { ...form, ...address, ...card })).status).toBe(302)
    const other = `next-${Date.now()}@example.com`
    expect((await b.call('/register', { email: other, name: 'Next', password: 'a long password' })).status).toBe(303)
    expect((await b.call('/cart', { intent: 'add', productId: '32', quantity: '1' })).status).toBe(303)
    const theirs = await (await b.call('/checkout')).text()
    expect(theirs).toContain('Checkout')
    expect(theirs).not.toContain('Saint-Étienne')
  })

  it('never gives it to another account with the same cart signed in next on that browser (a shared computer)', async () => {
    // A's checkout ends signed out; A walks away from the log-in page it was sent to.
    const { b, form } = await shopperAtCheckout(`walked-away-${Date.now()}@example.com`, 31)
    await signOutElsewhere(b)
    expect((await b.call('/checkout', { ...form, ...address, ...card })).status).toBe(302)
    // B's account holds the very same cart (one of product 31, same price): the same cart version.
    const other = `same-cart-${Date.now()}@example.com`
    const elsewhere = browser()
    expect((await elsewhere.call('/register', { email: other, name: 'Next', password: 'a long password' })).status).toBe(303)
    expect((await elsewhere.call('/cart', { intent: 'add', productId: '31', quantity: '1' })).status).toBe(303)
    expect(hidden(await (await elsewhere.call('/checkout')).text(), 'cartVersion')).toBe(form.cartVersion)
    // B logs in on A's browser, on the very page A was sent to.
    const loggedIn = await b.call('/login', { email: other, password: 'a long password', next: '/checkout' })
    expect([loggedIn.status, loggedIn.headers.get('location')]).toEqual([303, '/checkout'])
    const theirs = await (await b.call('/checkout')).text()
    expect(theirs).toContain('Checkout')
    expect(theirs).not.toContain('Saint-Étienne')
    expect(theirs).not.toContain('enter your card again')
    await testApp.db.deleteFrom('checkout_drafts').execute() // A's, unclaimed
  })

  it('keeps nothing from a form that does not say whose checkout it was (a page from before), and gives nothing back for a forged one', async () => {
    const email = `unsigned-${Date.now()}@example.com`
    const { b, form } = await shopperAtCheckout(email, 31)
    await signOutElsewhere(b)
    const { draftFor: _, ...unsigned } = form
    expect((await b.call('/checkout', { ...unsigned, ...address, ...card })).status).toBe(302)
    expect(b.jar.has('tessera_checkout')).toBe(false)
    // A proof is checked as the draft is given back, against the account then signed in.
    expect((await b.call('/checkout', { ...unsigned, draftFor: 'x'.repeat(43), ...address, ...card })).status).toBe(302)
    expect((await b.call('/login', { email, password: 'a long password', next: '/checkout' })).status).toBe(303)
    expect(await (await b.call('/checkout')).text()).not.toContain('Saint-Étienne')
  })

  it('keeps none past MAX_DRAFTS unclaimed at once (a script posting signed-out checkouts cannot fill the disk); the shopper retypes', async () => {
    const { b, form } = await shopperAtCheckout(`crowded-${Date.now()}@example.com`, 31)
    await signOutElsewhere(b)
    const later = Date.now() + 60 * 60_000
    await testApp.db.transaction().execute((trx) =>
      insertMany(
        trx,
        'checkout_drafts',
        Array.from({ length: MAX_DRAFTS }, (_, i) => ({ token_hash: `flood-${i}`, checkout_key: 'v', shipping: '{}', expires_at: later })),
      ),
    )
    expect((await b.call('/checkout', { ...form, ...address, ...card })).status).toBe(302)
    expect(b.jar.has('tessera_checkout')).toBe(false)
    expect(await testApp.db.selectFrom('checkout_drafts').select('token_hash').where('token_hash', 'not like', 'flood-%').execute()).toEqual([])
    await testApp.db.deleteFrom('checkout_drafts').execute()
  })
})
