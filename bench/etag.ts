/**
 * The API's ETags (decision 006, shared/http/etag.server.ts): `apiEtags()` hashes a JSON answer's
 * text as `c.json()` writes it, where Hono's `etag()` clones the finished body as a web stream to
 * read it. This times both, and no ETag at all, on a product's JSON (the API's most common
 * answer) through `app.fetch` in-process, so the middleware is all that differs: alternated
 * rounds, median µs a request. `npm run bench:etag` (pin it: `taskset -c 1 npm run bench:etag`).
 */
import { Hono, type MiddlewareHandler } from 'hono'
import { etag } from 'hono/etag'
import { apiEtags } from '#shared/http'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7)
const REQUESTS = 20_000

const product = {
  id: 1,
  slug: 'essential-stainless-mixing-bowl',
  name: 'Essential Stainless Mixing Bowl',
  description: 'A stainless mixing bowl made for slow Sunday breakfasts. A favourite of our customers for years. Thoughtfully made with durable materials.',
  priceCents: 1299,
  price: '$12.99',
  currency: 'USD',
  stock: 34,
  category: 'kitchen',
  imageUrl: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
}

const appWith = (middleware?: MiddlewareHandler) => {
  const app = new Hono()
  if (middleware) app.use('/api/*', middleware)
  return app.get('/api/products/:id', (c) => c.json(product))
}
const contenders = { 'apiEtags() (ours)': appWith(apiEtags()), "Hono's etag()": appWith(etag()), 'no ETag': appWith() }
type Name = keyof typeof contenders

/** µs a request, each body read to the end as a server would send it. */
async function measure(app: Hono): Promise<number> {
  const start = performance.now()
  for (let i = 0; i < REQUESTS; i++) await (await app.fetch(new Request('http://localhost/api/products/1'))).arrayBuffer()
  return ((performance.now() - start) * 1000) / REQUESTS
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const names = Object.keys(contenders) as Name[]
const results = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>
for (const name of names) await measure(contenders[name]) // warm-up
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? names : [...names].reverse()
  for (const name of order) results[name].push(await measure(contenders[name]))
}
const none = median(results['no ETag'])
console.log(`GET /api/products/1 through app.fetch, median of ${ROUNDS} alternated rounds of ${REQUESTS} requests:`)
for (const name of names)
  console.log(`  ${name.padEnd(20)} ${median(results[name]).toFixed(2)} µs  (+${(median(results[name]) - none).toFixed(2)} µs over no ETag)`)
