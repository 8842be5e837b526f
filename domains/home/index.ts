import { defineDomain, definePage } from '#shared/domain'

/** The store's front door. */
export default defineDomain({
  name: 'home',
  routes: [
    definePage({
      path: '/',
      page: () => import('./pages/home.page.tsx'),
      head: () => ({ title: 'Tessera', description: 'A fast, server-rendered store.' }),
      cache: { maxAge: 60, staleWhileRevalidate: 3600, tags: ['home'] },
    }),
  ],
})
