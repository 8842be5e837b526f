import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { describeError } from './errors.ts'
import { validate } from './validate.ts'

const app = new Hono()
  .onError((err, c) => {
    const { status, body } = describeError(err)
    return c.json(body, status)
  })
  .post('/items', validate('json', z.object({ name: z.string().optional() })), (c) => c.json(c.req.valid('json')))

const post = (body: BodyInit | null, headers: Record<string, string> = {}) => app.request('/items', { method: 'POST', body, headers })
const errorOf = async (res: Response) => ({ status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code })

describe('validate("json"): the body is JSON before it is valid', () => {
  it('reads a JSON body once, whatever its charset parameter says, and takes no body as {}', async () => {
    expect(await (await post('{"name":"Café"}', { 'Content-Type': 'application/json' })).json()).toEqual({ name: 'Café' })
    expect(await (await post('{"name":"mug"}', { 'Content-Type': 'application/json; charset=iso-8859-1' })).json()).toEqual({ name: 'mug' })
    expect(await (await post('{"name":"mug"}', { 'Content-Type': 'application/problem+json' })).json()).toEqual({ name: 'mug' })
    expect(await (await post(null)).json()).toEqual({})
  })

  // Hono's validator read each of these as {}: an optional-only schema let a form post through.
  it.each([
    ['text/plain', '{"name":"mug"}'],
    ['application/x-www-form-urlencoded', 'name=mug'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nmug\r\n--x--'],
    ['text/json', '{"name":"mug"}'],
  ])('answers a %s body 415 unsupported_media_type', async (type, body) => {
    expect(await errorOf(await post(body, { 'Content-Type': type }))).toEqual({ status: 415, code: 'unsupported_media_type' })
  })

  it('answers a compressed body 415, bytes that are not UTF-8 and text that is not JSON 400 invalid_input', async () => {
    expect(await errorOf(await post('{"name":"mug"}', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }))).toEqual({
      status: 415,
      code: 'unsupported_media_type',
    })
    // "José" in Latin-1: once stored as "Jos\uFFFD".
    const latin1 = Uint8Array.from([...Buffer.from('{"name":"Jos'), 0xe9, ...Buffer.from('"}')])
    expect(await errorOf(await post(latin1, { 'Content-Type': 'application/json' }))).toEqual({ status: 400, code: 'invalid_input' })
    expect(await errorOf(await post('{"name":', { 'Content-Type': 'application/json' }))).toEqual({ status: 400, code: 'invalid_input' })
  })
})
