import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { checkApiResponses } from './api-contract.server.ts'
import { HttpError } from './errors.ts'
import { operation } from './operation.ts'

const item = z.object({ id: z.number().int(), name: z.string() })
// The casts stand for a handler whose types lie (an `any` from a query): what only the runtime check sees.
const lie = <T>(value: unknown) => value as T

function appAnswering(body: unknown, { status = 200 }: { status?: number } = {}) {
  const app = new Hono()
  app.onError((err, c) => c.json({ error: { code: (err as HttpError).code ?? 'internal_error', message: err.message } }, (err as HttpError).status ?? 500))
  app.use('/api/*', checkApiResponses({ report: () => {} }))
  app.get(
    '/api/items/:id',
    operation({ id: 'items.get', summary: 'One item', params: z.object({ id: z.string() }), responses: { 200: item, 404: 'No such item' } }, async (c) => {
      if (c.req.valid('param').id === 'none') throw new HttpError(404, 'not_found', 'No such item.')
      return c.json(lie<z.infer<typeof item>>(body), lie<200>(status))
    }),
  )
  return app
}

const get = (app: Hono, id = '1') => app.request(`/api/items/${id}`)

describe('checkApiResponses', () => {
  it('lets an answer through that matches its declared status and schema, errors in the ApiError body', async () => {
    const res = await get(appAnswering({ id: 1, name: 'Mug' }))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ id: 1, name: 'Mug' })
    expect((await get(appAnswering({}), 'none')).status).toBe(404)
  })

  it('turns a body the schema refuses into a 500 contract_violation naming the field', async () => {
    const res = await get(appAnswering({ id: '1', name: 'Mug' }))
    expect(res.status).toBe(500)
    expect(await res.json()).toMatchObject({ error: { code: 'contract_violation', message: expect.stringMatching(/items\.get.*id: /) } })
  })

  it('refuses a field the schema does not declare (a leak), and a status it does not declare', async () => {
    const leak = await get(appAnswering({ id: 1, name: 'Mug', passwordHash: 'x' }))
    expect(await leak.json()).toMatchObject({ error: { code: 'contract_violation', message: expect.stringContaining('passwordHash') } })
    const created = await get(appAnswering({ id: 1, name: 'Mug' }, { status: 201 }))
    expect(await created.json()).toMatchObject({ error: { message: expect.stringContaining('status 201 is not declared') } })
  })

  it('checks that an error answers the ApiError body', async () => {
    const app = new Hono()
    const reports: string[] = []
    app.use('/api/*', checkApiResponses({ report: (message) => reports.push(message) }))
    app.get('/api/broken', (c) => c.json({ message: 'no' }, 404))
    expect((await app.request('/api/broken')).status).toBe(500)
    expect(reports).toEqual([expect.stringContaining('GET /api/broken answered 404 against its contract: error:')])
  })
})
