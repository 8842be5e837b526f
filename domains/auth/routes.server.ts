import { z } from 'zod'
import { definePage } from '#shared/domain'
import { clientNetwork, redirect } from '#shared/http'
import { changeName, registerUser } from './accounts.server.ts'
import { currentUser, requireUser, signIn, signOut } from './guard.server.ts'
import { logIn } from './log-in.server.ts'
import { safeNext } from './next-path.ts'
import { changeOwnPassword } from './password-change.server.ts'
import { INVALID_RESET_LINK, resetLinkAccount, passwordResetsAvailable, RESET_REQUESTED, requestPasswordReset, resetPassword } from './password-reset.server.ts'
import { limitRegistration } from './rate-limits.server.ts'
import { changeNameInput, changePasswordInput, loginInput, passwordResetConfirmInput, passwordResetInput, registerInput, resetTokenSchema } from './schemas.ts'

const withNext = { next: z.string().optional() }

/** Signed-in visitors have no business on the log-in and sign-up pages. */
const awayIfSignedIn = async ({ c, query }: { c: Parameters<typeof currentUser>[0]; query: URLSearchParams }) => {
  if (await currentUser(c)) redirect(safeNext(query.get('next')))
  return { next: safeNext(query.get('next')) }
}

export const authRoutes = [
  definePage({
    path: '/login',
    page: () => import('./pages/login.page.tsx'),
    load: awayIfSignedIn,
    head: () => ({ title: 'Log in · Tessera', description: 'Log in to your Tessera account: your cart, orders and details.' }),
    action: {
      input: loginInput.extend(withNext),
      run: async ({ c }, input) => {
        await logIn(c, input)
        redirect(safeNext(input.next))
      },
    },
  }),
  definePage({
    path: '/register',
    page: () => import('./pages/register.page.tsx'),
    load: awayIfSignedIn,
    head: () => ({ title: 'Create an account · Tessera', description: 'Create a Tessera account to keep your cart and follow your orders.' }),
    action: {
      input: registerInput.extend(withNext),
      run: async ({ c }, input) => {
        await limitRegistration(c.var.db, clientNetwork(c))
        await signIn(c, await registerUser(c.var.db, input))
        redirect(safeNext(input.next))
      },
    },
  }),
  definePage({
    path: '/forgot-password',
    page: () => import('./pages/forgot-password.page.tsx'),
    load: ({ c, query }) => ({ available: passwordResetsAvailable(c.var.config), sent: query.get('sent') === '1' ? RESET_REQUESTED : null }),
    head: () => ({ title: 'Forgot your password? · Tessera', description: 'Get a link by mail to choose a new password for your Tessera account.' }),
    action: {
      input: passwordResetInput,
      run: async ({ c }, input) => {
        await requestPasswordReset(c, input.email)
        redirect('/forgot-password?sent=1') // the address is not carried on: the page says the same for any
      },
    },
  }),
  definePage({
    path: '/reset-password',
    page: () => import('./pages/reset-password.page.tsx'),
    load: async ({ c, query }) => {
      if (!passwordResetsAvailable(c.var.config)) return { state: 'unavailable' as const }
      const token = resetTokenSchema.safeParse(query.get('token') ?? '')
      if (!token.success) return { state: 'invalid' as const, message: token.error.issues[0]!.message }
      const account = await resetLinkAccount(c.var.db, token.data)
      if (!account) return { state: 'invalid' as const, message: INVALID_RESET_LINK }
      // Whose password it sets, said: a link opened where someone else is signed in signs them out.
      const signedIn = await currentUser(c)
      const otherAccount = signedIn && signedIn.id !== account.id ? signedIn.email : undefined
      return { state: 'ready' as const, token: token.data, email: account.email, ...(otherAccount ? { otherAccount } : {}) }
    },
    head: () => ({
      title: 'Choose a new password · Tessera',
      noindex: true,
      // The address holds the token: no request from this page (a link, an image) may carry it in
      // its Referer, even to this site. Not no-referrer, under which the form's post would say
      // `Origin: null` and be refused as cross-site (shared/http/security-headers.server.ts).
      meta: [{ name: 'referrer', content: 'strict-origin' }],
    }),
    action: {
      input: passwordResetConfirmInput,
      run: async ({ c }, input) => {
        await resetPassword(c, input)
        redirect('/account?changed=password')
      },
    },
  }),
  definePage({
    path: '/account',
    page: () => import('./pages/account.page.tsx'),
    load: async ({ c, query }) => ({ user: await requireUser(c), passwordChanged: query.get('changed') === 'password' }),
    head: () => ({ title: 'Your account · Tessera', description: 'Your name, email and password at Tessera.' }),
    action: {
      input: z.discriminatedUnion('intent', [
        changeNameInput.extend({ intent: z.literal('name') }),
        changePasswordInput.extend({ intent: z.literal('password') }),
      ]),
      run: async ({ c }, input) => {
        const user = await requireUser(c)
        if (input.intent === 'name') {
          await changeName(c.var.db, user.id, input.name)
          return
        }
        await changeOwnPassword(c, user.id, input)
        redirect('/account?changed=password')
      },
    },
  }),
  definePage({
    path: '/logout',
    page: () => import('./pages/logout.page.tsx'),
    // A button's page, nothing to find: kept out of search results. (Log in and Create an account
    // stay indexable, as #20's Lighthouse SEO target for them asks.)
    head: () => ({ title: 'Log out · Tessera', noindex: true }),
    action: {
      input: z.object({}),
      run: async ({ c }) => {
        await signOut(c)
        redirect('/')
      },
    },
  }),
]
