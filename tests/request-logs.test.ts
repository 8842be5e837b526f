import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from './support/test-app.ts'

type Line = { level: string; msg: string; requestId?: string; err?: { message: string } }
const lines: Line[] = []
let testApp: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  testApp = await createTestApp({}, { logTo: (line) => void lines.push(JSON.parse(line) as Line) })
})
afterAll(() => testApp.close())

/** The lines logged while answering `path` (fully read), and the request id it answered with. */
async function logsOf(path: string): Promise<{ id: string; logged: Line[] }> {
  const from = lines.length
  const res = await testApp.app.request(path)
  await res.text()
  await new Promise((resolve) => setTimeout(resolve, 20)) // a streamed part's error is logged as it settles
  return { id: res.headers.get('X-Request-Id')!, logged: lines.slice(from) }
}

describe("a request's log lines", () => {
  it.each([
    ['a loader that throws', '/demo/boom', 'request failed'],
    ['a render that throws', '/demo/fragile?render', 'render failed'],
    ['a deferred part that fails', '/demo/slow?ms=5&fail', 'render failed'],
  ])('carry its request id, errors included: %s', async (_, path, message) => {
    const { id, logged } = await logsOf(path)
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(logged.map((line) => line.msg)).toEqual(expect.arrayContaining([message, 'request']))
    for (const line of logged) expect(line).toMatchObject({ requestId: id })
    expect(logged.find((line) => line.msg === message)!.err?.message).toBeTruthy()
  })

  it("carry a caller's request id, and two requests' lines are told apart", async () => {
    const res = await testApp.app.request('/demo/boom', { headers: { 'X-Request-Id': 'from-the-proxy-1' } })
    await res.text()
    expect(lines.filter((line) => line.requestId === 'from-the-proxy-1').map((line) => line.msg)).toEqual(['request failed', 'request'])
    const a = await logsOf('/demo')
    const b = await logsOf('/demo')
    expect(a.id).not.toBe(b.id)
    expect(a.logged.every((line) => line.requestId === a.id)).toBe(true)
  })
})
