/**
 * A type test, checked by `npm run typecheck`: a call to a remote domain through `remoteFetch`
 * that does not match the service's zod schemas (hc) or its OpenAPI types (openapi-fetch) does not
 * compile. If either client lost its types, the `@ts-expect-error` lines would fail.
 */
import { zValidator } from '@hono/zod-validator'
import { Hono, type Context } from 'hono'
import { hc } from 'hono/client'
import createClient from 'openapi-fetch'
import { z } from 'zod'
import { remoteFetch } from '#shared/gateway'
import type { AppEnv } from '#shared/http'

/** The service's app, as its package would export its type. */
const reviewsService = new Hono()
  .get('/by-product/:id', (c) => c.json({ stars: [5, 3] }, 200))
  .post('/by-product/:id', zValidator('json', z.object({ stars: z.number().int(), text: z.string() })), (c) => c.json({ id: 1 }, 201))

/** As openapi-typescript generates it. */
interface paths {
  '/api/reviews/by-product/{id}': {
    post: {
      parameters: { path: { id: number } }
      requestBody: { content: { 'application/json': { stars: number; text: string } } }
      responses: { 201: { content: { 'application/json': { id: number } } } }
    }
  }
}

export async function withHc(c: Context<AppEnv>) {
  const reviews = hc<typeof reviewsService>('http://localhost/api/reviews', { fetch: remoteFetch(c, 'reviews') })
  const created = await reviews['by-product'][':id'].$post({ param: { id: '3' }, json: { stars: 4, text: 'good' } })
  const id: number | undefined = created.status === 201 ? (await created.json()).id : undefined
  // @ts-expect-error: a misspelt path
  await reviews['by-prodcut'][':id'].$get({ param: { id: '3' } })
  // @ts-expect-error: stars is a number in the service's schema
  await reviews['by-product'][':id'].$post({ param: { id: '3' }, json: { stars: 'four', text: 'good' } })
  return id
}

export async function withOpenApiFetch(c: Context<AppEnv>) {
  const reviews = createClient<paths>({ baseUrl: 'http://localhost', fetch: remoteFetch(c, 'reviews') })
  const { data } = await reviews.POST('/api/reviews/by-product/{id}', { params: { path: { id: 3 } }, body: { stars: 4, text: 'good' } })
  const id: number | undefined = data?.id
  // @ts-expect-error: a misspelt path
  await reviews.POST('/api/reviews/by-prodcut/{id}', { params: { path: { id: 3 } }, body: { stars: 4, text: 'good' } })
  // @ts-expect-error: the body has no `rating`
  await reviews.POST('/api/reviews/by-product/{id}', { params: { path: { id: 3 } }, body: { rating: 4, text: 'good' } })
  return id
}
