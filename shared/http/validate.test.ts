import { Hono } from 'hono'
import { expect, it } from 'vitest'
import { z } from 'zod'
import { describeError } from './errors.ts'
import { validate } from './validate.ts'

const id = z.object({ id: z.string().regex(/^\d+$/) })
const app = new Hono()
  .onError((err, c) => {
    const { status, body } = describeError(err)
    return c.json(body, status)
  })
  .post(
    '/items/:id',
    validate('param', id),
    validate('query', z.object({ page: z.string().optional() }).strict()),
    validate('json', z.object({ name: z.string() })),
    (c) => c.json(c.req.valid('json')),
  )

const messageOf = async (path: string, body: string) => {
  const res = await app.request(path, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } })
  expect(res.status).toBe(400)
  return ((await res.json()) as { error: { message: string } }).error.message
}

// The message is read by people (a client's log, an API explorer): it names the part in words, not Hono's target.
it('names the part of the request that is not valid in words', async () => {
  expect(await messageOf('/items/x', '{"name":"mug"}')).toBe('The path is not valid.')
  expect(await messageOf('/items/1?sort=up', '{"name":"mug"}')).toBe('The query string is not valid.')
  expect(await messageOf('/items/1', '{"name":7}')).toBe('The request body is not valid.')
})
