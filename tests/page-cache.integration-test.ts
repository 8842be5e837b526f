import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startBuiltServer, type ServerProcess } from './support/server-process.ts'

const root = inject('builtRoot')
let a: ServerProcess
let b: ServerProcess

/** Two processes over one database, as two workers (or two hosts) would run. */
beforeAll(async () => {
  const env = { DATABASE_PATH: join(root, 'shared-cache.sqlite') }
  a = await startBuiltServer(root, env)
  b = await startBuiltServer(root, env)
})
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()])
})

describe('page cache invalidation across processes', () => {
  it('reaches the other process: its cached page is dropped and rendered afresh', async () => {
    expect((await fetch(`${b.url}/demo/notes`)).headers.get('x-cache')).toBe('MISS')
    expect((await fetch(`${b.url}/demo/notes`)).headers.get('x-cache')).toBe('HIT')

    const created = await fetch(`${a.url}/api/demo/notes`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ body: 'written on A' }),
    })
    expect(created.status).toBe(201)

    await expect
      .poll(
        async () => {
          const res = await fetch(`${b.url}/demo/notes`)
          return (await res.text()).includes('<li>written on A</li>')
        },
        { timeout: 3000, interval: 50 },
      )
      .toBe(true)
  })
})
