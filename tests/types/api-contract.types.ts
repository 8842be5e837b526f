/**
 * A type test, checked by `npm run typecheck`: an API handler that answers what its operation()
 * does not declare does not compile. If the check were lost, the `@ts-expect-error` lines would fail.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { operation, type AppEnv } from '#shared/http'

const item = z.object({ id: z.number().int(), name: z.string() })
const spec = { id: 'items.get', summary: 'One item', params: z.object({ id: z.string() }), responses: { 200: item, 404: 'No such item' } } as const

export const compiles = new Hono<AppEnv>().get(
  '/:id',
  operation(spec, async (c) => c.json({ id: Number(c.req.valid('param').id), name: 'Mug' }, 200)),
)

// Each refused handler: the error is on its function, so the directive sits on the line before.
export const refused = [
  // @ts-expect-error: id is a number in the declared 200 body
  operation(spec, async (c) => c.json({ id: '1', name: 'Mug' }, 200)),
  // @ts-expect-error: the declared 200 body has a name
  operation(spec, async (c) => c.json({ id: 1 }, 200)),
  // @ts-expect-error: 201 is not declared
  operation(spec, async (c) => c.json({ id: 1, name: 'Mug' }, 201)),
  // @ts-expect-error: a 204 has no JSON body
  operation({ id: 'items.delete', summary: 'Remove', responses: { 204: null } }, async (c) => c.json({ deleted: true }, 204)),
  operation(spec, async (c) => {
    // @ts-expect-error: this operation declares no query
    void c.req.valid('query')
    return c.json({ id: 1, name: 'Mug' }, 200)
  }),
]
