import { mkdtemp, readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { hydrated, markWindow, openPage, withServerAndBrowser, windowMarker } from './browser.ts'

const env = withServerAndBrowser()

const path = (page: Page) => new URL(page.url()).pathname + new URL(page.url()).search
const signedInAs = (page: Page) => page.locator('.viewer').textContent({ timeout: 5000 })

/** Register → signed in → log out → log in (sent there by /account) → /account → change name. */
async function accountJourney(page: Page, { js }: { js: boolean }) {
  const email = `journey-${js ? 'js' : 'nojs'}-${Date.now()}@example.com`
  const settle = () => (js ? Promise.resolve() : page.waitForLoadState('load'))

  // With JavaScript, forms and the header work without a page load: the window marker survives.
  const marked = async () => {
    if (js) expect(await windowMarker(page)).toBe(42)
  }
  await page.goto(`${env.url}/register`)
  if (js) await hydrated(page)
  if (js) await markWindow(page)
  await page.getByLabel('Name').fill('Grace')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill('a long password')
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByText('Signed in as Grace').waitFor()
  expect(path(page)).toBe('/')
  await marked()

  await page.getByRole('button', { name: 'Log out' }).click()
  await page.getByRole('link', { name: 'Log in' }).waitFor()
  await page.waitForLoadState('load')
  expect(await page.locator('.viewer').count()).toBe(0)
  // A log-out loads a new document, with JavaScript too (see the test below): the marker is gone.
  if (js) expect(await windowMarker(page)).toBeUndefined()

  await page.goto(`${env.url}/account`)
  expect(path(page)).toBe('/login?next=%2Faccount')
  if (js) await hydrated(page)
  if (js) await markWindow(page)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill('a wrong password')
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByText('Wrong email or password.').first().waitFor()
  await page.getByLabel('Password').fill('a long password')
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('heading', { name: 'Your account' }).waitFor()
  expect(path(page)).toBe('/account')
  expect(await page.getByText(email).count()).toBe(1)
  // Another page after a client navigation: its heading has the focus, as a page load starts from the top.
  if (js) expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Your account')

  await page.getByLabel('Name', { exact: true }).fill('Grace Hopper')
  await page.getByRole('button', { name: 'Save name' }).click()
  await expect.poll(() => page.getByTestId('account-name').textContent()).toBe('Grace Hopper')
  if (js) await page.getByRole('status').filter({ hasText: 'Your name was saved.' }).waitFor()
  // Saved in place: the focus is back on the button (disabled while saving, it had lost it).
  if (js) await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Save name')
  await settle()
  expect(await signedInAs(page)).toBe('Signed in as Grace Hopper')
  await marked()
}

describe('an account, in Chromium', () => {
  it('goes, after signing up, to a `next` that begins `/..//host` on this site, never fetching from that host', async () => {
    const { page, problems, close } = await openPage(env.browser)
    const elsewhere: string[] = []
    page.on('request', (request) => void (new URL(request.url()).port === '9' && elsewhere.push(request.url())))
    await page.goto(`${env.url}/register?next=${encodeURIComponent('/..//127.0.0.1:9/x')}`)
    await hydrated(page)
    await page.getByLabel('Name').fill('Nina')
    await page.getByLabel('Email').fill(`next-${Date.now()}@example.com`)
    await page.getByLabel('Password').fill('a long password')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL(`${env.url}//127.0.0.1:9/x`) // a path of this site (no such page)
    expect(elsewhere).toEqual([])
    // No fetch of the other host, refused by the page's connect-src: only this site's 404 (and its
    // data request, given up for the page load).
    expect(problems.filter((problem) => !/\b404\b/.test(problem) && !problem.startsWith(`requestfailed: ${env.url}//`))).toEqual([])
    await close()
  })

  it('register, log out, log in, change the name: with JavaScript', async () => {
    const { page, problems, close } = await openPage(env.browser)
    await accountJourney(page, { js: true })
    // The wrong password's 401 is expected; nothing else may go wrong.
    expect(problems.filter((problem) => !problem.includes('401'))).toEqual([])
    await close()
  })

  it('shows the signed-in header on a page the browser last saw signed out', async () => {
    const email = `seen-signed-out-${Date.now()}@example.com`
    const registered = await fetch(`${env.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, name: 'Hedy', password: 'a long password' }),
    })
    expect(registered.status).toBe(201)
    const { page, problems, close } = await openPage(env.browser)
    await page.goto(`${env.url}/products`)
    await hydrated(page)
    // A client navigation to the home page: its cached, signed-out copy is now in the browser's cache.
    await page.getByRole('link', { name: 'Tessera' }).click()
    await page.waitForURL(`${env.url}/`)
    await page.getByRole('link', { name: 'Log in' }).click()
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill('a long password')
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL(`${env.url}/`)
    expect(await signedInAs(page)).toContain('Hedy')
    expect(problems).toEqual([])
    await close()
  })

  it('leaves nothing of the shopper in the page after a log-out (a shared computer)', async () => {
    const email = `shared-computer-${Date.now()}@example.com`
    const { page, problems, close } = await openPage(env.browser)
    const registered = await page.request.post(`${env.url}/api/auth/register`, { data: { email, name: 'Ada', password: 'a long password' } })
    expect(registered.status()).toBe(201)
    await page.goto(`${env.url}/account`)
    await hydrated(page)
    const traces = () =>
      page.evaluate(
        (text) => [
          document.documentElement.outerHTML.includes(text),
          JSON.stringify((window as unknown as Record<string, unknown>).__TESSERA__).includes(text),
        ],
        email,
      )
    expect(await traces()).toEqual([true, true])
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.waitForURL(`${env.url}/`)
    await page.getByRole('link', { name: 'Log in' }).waitFor()
    await hydrated(page)
    expect(await traces()).toEqual([false, false])
    // Back: the account page asks the server again, which sends a signed-out visitor to log in.
    await page.goBack()
    await page.waitForURL(`${env.url}/login?next=%2Faccount`)
    expect(await page.getByText(email).count()).toBe(0)
    expect(problems).toEqual([])
    await close()
  })

  it('the same journey with JavaScript disabled', async () => {
    const { page, problems, close } = await openPage(env.browser, { javaScriptEnabled: false })
    await accountJourney(page, { js: false })
    expect(problems.filter((problem) => !problem.includes('401'))).toEqual([])
    await close()
  })
})

/** A port free now, for a server that must know its own address before it starts (PUBLIC_URL). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

describe('a forgotten password, in Chromium', () => {
  // A server of its own: mail to an outbox file, links from PUBLIC_URL (production refuses resets without both).
  const mailEnv: Record<string, string> = {}
  beforeAll(async () => {
    const port = await freePort()
    const outbox = join(await mkdtemp(join(tmpdir(), 'tessera-outbox-')), 'outbox.jsonl')
    Object.assign(mailEnv, { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, MAIL_TRANSPORT: 'outbox', MAIL_OUTBOX_PATH: outbox })
  })
  const mailed = withServerAndBrowser(mailEnv)

  /** The reset link mailed to `email`, once the job worker has written it to the outbox. */
  async function linkMailedTo(email: string): Promise<string> {
    let link: string | undefined
    await expect
      .poll(
        async () => {
          const lines = (await readFile(mailEnv.MAIL_OUTBOX_PATH!, 'utf8').catch(() => '')).split('\n').filter(Boolean)
          const mail = lines.map((line) => JSON.parse(line) as { to: string; text: string }).find((entry) => entry.to === email)
          link = mail && /^http\S+\/reset-password\?token=\S+$/m.exec(mail.text)?.[0]
          return link
        },
        { timeout: 15_000 },
      )
      .toBeDefined()
    return link!
  }

  async function resetJourney({ js }: { js: boolean }) {
    const email = `forgot-${js ? 'js' : 'nojs'}-${Date.now()}@example.com`
    const registered = await fetch(`${mailed.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, name: 'Katherine', password: 'the forgotten one' }),
    })
    expect(registered.status).toBe(201)
    const { page, problems, close } = await openPage(mailed.browser, { javaScriptEnabled: js })
    await page.goto(`${mailed.url}/login`)
    if (js) await hydrated(page)
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor()
    await page.getByLabel('Email').fill(email)
    await page.getByRole('button', { name: 'Send the link' }).click()
    await page.getByText('If an account has this address, a link to reset its password is on its way.').first().waitFor()
    expect(path(page)).toBe('/forgot-password?sent=1') // the address is not in the URL

    const link = await linkMailedTo(email)
    expect(link.startsWith(`${mailEnv.PUBLIC_URL}/reset-password?token=`)).toBe(true)
    const referers: string[] = []
    page.on('request', (request) => void (request.headers().referer && referers.push(request.headers().referer!)))
    await page.goto(link)
    if (js) await hydrated(page)
    await page.getByLabel('New password (8 characters or more)').fill('a remembered one')
    await page.getByRole('button', { name: 'Set the new password' }).click()
    await page.getByText('Your password was changed.').first().waitFor()
    expect(path(page)).toBe('/account?changed=password')
    expect(await signedInAs(page)).toBe('Signed in as Katherine')
    // Requests from the reset page (its stylesheet, scripts, the form's post) named the origin only.
    expect(referers.length).toBeGreaterThan(0)
    expect(referers.filter((referer) => referer.includes('token'))).toEqual([])

    // The link worked once.
    await page.goto(link)
    await page.getByText('This reset link does not work any more').waitFor()
    expect(problems).toEqual([])
    await close()
    const login = await fetch(`${mailed.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: 'a remembered one' }),
    })
    expect(login.status).toBe(200)
  }

  it('from the login page to a new password by the mailed link, with JavaScript disabled', () => resetJourney({ js: false }))
  it('the same with JavaScript, the link read from the outbox', () => resetJourney({ js: true }))
})
