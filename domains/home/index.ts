import { defineDomain, definePage } from '#shared/domain'

/** The store's front door. */
export default defineDomain({
  name: 'home',
  routes: [
    definePage({
      path: '/',
      page: () => import('./pages/home.page.tsx'),
      head: () => ({ title: 'Tessera', description: 'A fast, server-rendered store.' }),
    }),
  ],
})
