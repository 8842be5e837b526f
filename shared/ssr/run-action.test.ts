import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ActionInvalid, type LoaderContext, type PageAction } from '#shared/domain'
import { describeError, HttpError, redirect, type AppEnv } from '#shared/http'
import { ACTION_HEADER, type ActionState } from '#shared/ui'
import { runAction } from './run-action.server.ts'

/** An app with one page action at /form; the page "shown again" answers its status and state as JSON. */
function appFor(run: PageAction['run']) {
  const action: PageAction = {
    input: z.object({ email: z.email('Enter an email'), name: z.string().min(1, 'Enter a name'), password: z.string().optional() }),
    run,
  }
  const app = new Hono<AppEnv>()
  app.post('/form', (c) =>
    runAction(c, action, { c } as unknown as LoaderContext, async (c, { status, action: state }) => c.json({ shown: true, state }, status)),
  )
  app.onError((err, c) => {
    const { status, body } = describeError(err)
    return c.json(body, status)
  })
  return app
}

const post = (app: Hono<AppEnv>, fields: [string, string][], { byFetch = false, path = '/form' } = {}) =>
  app.request(path, { method: 'POST', body: new URLSearchParams(fields), headers: byFetch ? { [ACTION_HEADER]: '1' } : {} })

const valid: [string, string][] = [
  ['email', 'ada@example.com'],
  ['name', 'Ada'],
]

describe('runAction', () => {
  it('runs the action with the parsed input, then post/redirect/get to the page, its query kept', async () => {
    const seen: unknown[] = []
    const app = appFor((_, input) => void seen.push(input))
    const res = await post(app, valid, { path: '/form?from=list' })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/form?from=list')
    expect(seen).toEqual([{ email: 'ada@example.com', name: 'Ada' }])
    expect(await (await post(app, valid, { byFetch: true })).json()).toEqual({ ok: true })
  })

  it('shows the page again (422) with the errors in the order posted and the input kept, never a secret', async () => {
    const app = appFor(() => {})
    const res = await post(app, [
      ['name', ''],
      ['email', 'nope'],
      ['password', 'hunter22'],
    ])
    expect(res.status).toBe(422)
    const { state } = (await res.json()) as { state: ActionState }
    expect(Object.keys(state.fieldErrors ?? {})).toEqual(['name', 'email']) // the form's order, not the schema's
    expect(state).toMatchObject({ ok: false, fieldErrors: { name: ['Enter a name'], email: ['Enter an email'] }, values: { name: '', email: 'nope' } })
    expect(state.values).not.toHaveProperty('password')
    const byFetch = await post(
      app,
      [
        ['name', ''],
        ['email', 'nope'],
      ],
      { byFetch: true },
    )
    expect(byFetch.status).toBe(422)
    expect(await byFetch.json()).toMatchObject({ ok: false, fieldErrors: { name: ['Enter a name'] } })
  })

  it("follows the action's redirect(), encoded, with and without JavaScript", async () => {
    const app = appFor(() => redirect('/done?q=日本'))
    const res = await post(app, valid)
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/done?q=%E6%97%A5%E6%9C%AC')
    expect(await (await post(app, valid, { byFetch: true })).json()).toEqual({ ok: true, redirect: '/done?q=%E6%97%A5%E6%9C%AC' })
  })

  it('shows an ActionInvalid as field errors, and a client HttpError with its status, headers and message', async () => {
    const taken = appFor(() => {
      throw new ActionInvalid({ email: ['That email is taken'] })
    })
    expect(await (await post(taken, valid)).json()).toMatchObject({ state: { fieldErrors: { email: ['That email is taken'] } } })
    const limited = appFor(() => {
      throw new HttpError(429, 'rate_limited', 'Too many attempts.', undefined, { 'Retry-After': '60' })
    })
    const res = await post(limited, valid)
    expect(res.status).toBe(429)
    expect(res.headers.get('Retry-After')).toBe('60')
    expect(((await res.json()) as { state: ActionState }).state.formError).toBe('Too many attempts.')
  })

  it('lets a server error through to the error handler (500), and answers an unreadable form 400', async () => {
    const broken = appFor(() => {
      throw new Error('database on fire')
    })
    expect((await post(broken, valid)).status).toBe(500)
    const res = await broken.request('/form', { method: 'POST', body: '--x\r\nbroken', headers: { 'Content-Type': 'multipart/form-data; boundary=nothing' } })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request')
  })
})
