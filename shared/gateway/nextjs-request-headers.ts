/**
 * What a whole other app behind the migration fallback (a Next.js app) needs of a request beyond
 * the allow-list: its own credentials and cross-site checks (the store reads neither on its
 * paths), and Next.js's Server Actions, RSC navigation and prefetch headers. Never its internal
 * ones (`x-middleware-subrequest`, `x-now-route-matches`: sent by a client, they skip its
 * middleware or poison its cache on unpatched versions), nor anything of the store's. An app's
 * own headers (X-Tenant) are the operator's to add: FALLBACK_REQUEST_HEADERS (shared/config).
 */
export const NEXTJS_REQUEST_HEADERS = [
  'authorization',
  'origin',
  'referer',
  'x-requested-with',
  'next-action',
  'rsc',
  'next-router-state-tree',
  'next-router-prefetch',
  'next-router-segment-prefetch',
  'next-url',
  'x-nextjs-data',
  'x-middleware-prefetch',
  'purpose',
]
