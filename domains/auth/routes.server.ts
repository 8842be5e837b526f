import { z } from 'zod'
import { definePage } from '#shared/domain'
import { clientNetwork, redirect } from '#shared/http'
import { changeName, registerUser } from './accounts.server.ts'
import { currentUser, requireUser, signIn, signOut } from './guard.server.ts'
import { logIn } from './log-in.server.ts'
import { safeNext } from './next-path.ts'
import { changeOwnPassword } from './password-change.server.ts'
import { limitRegistration } from './rate-limits.server.ts'
import { changeNameInput, changePasswordInput, loginInput, registerInput } from './schemas.ts'

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
