import { defineDomain, type MigrationModule } from '#shared/domain'
import { authApi } from './api.server.ts'
import { createAdminCommand } from './commands.server.ts'
import { currentUser } from './guard.server.ts'
import { authJobs } from './jobs.server.ts'
import { authRoutes } from './routes.server.ts'
import { startAuth } from './start.server.ts'

/** Accounts, sessions and roles. Other domains use the guard and types exported below. */
export default defineDomain({
  name: 'auth',
  api: authApi,
  apiDescriptions: {
    auth: 'Accounts and sessions: register, sign in (rate-limited per address and per account), sign out, who is signed in, reset a forgotten password by a mailed link. Sets the `tessera_session` cookie.',
  },
  routes: authRoutes,
  migrations: import.meta.glob<MigrationModule>('./migrations/*.server.ts', { eager: true }),
  nav: [
    { href: '/login', label: 'Log in', show: 'anonymous', order: 100 },
    { href: '/register', label: 'Register', show: 'anonymous', order: 101 },
    { href: '/account', label: 'Account', show: 'signed-in', order: 100 },
    { href: '/logout', label: 'Log out', show: 'signed-in', method: 'post', order: 101 },
  ],
  viewer: async (c) => {
    const user = await currentUser(c)
    return user && { name: user.name, role: user.role }
  },
  // For upstream services behind remote domains, in signed headers (#shared/gateway).
  identity: async (c) => {
    const user = await currentUser(c)
    return user && { id: String(user.id), role: user.role }
  },
  start: startAuth,
  jobs: authJobs,
  commands: { 'create-admin': createAdminCommand },
  noCrawl: ['/account', '/reset-password'],
})

export { currentUser, requireUser, requireAdmin, signedIn, adminOnly } from './guard.server.ts'
export { userIds } from './user-ids.server.ts'
export { userById } from './users.server.ts'
export type { User } from './schemas.ts'
