import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { toWebStream } from './web-stream.server.ts'

describe('toWebStream', () => {
  it('passes the bytes through and ends with the source', async () => {
    const source = new PassThrough()
    const body = new Response(toWebStream(source)).text()
    source.write('<p>first</p>')
    source.end('<p>last</p>')
    expect(await body).toBe('<p>first</p><p>last</p>')
  })

  /**
   * The sequence that ended the process under Readable.toWeb: the response drains the web
   * stream's queue (its next read resumes the paused Node stream on the next tick) and the
   * visitor leaves in the same tick, while the Node stream still holds bytes.
   */
  it('takes a visitor leaving mid-read without an error escaping, and destroys the source', async () => {
    const escaped: unknown[] = []
    const note = (error: unknown) => escaped.push(error)
    process.on('uncaughtExceptionMonitor', note)
    try {
      const source = new PassThrough()
      const reader = toWebStream(source).getReader()
      source.write(Buffer.alloc(20_000))
      source.write(Buffer.alloc(20_000))
      await new Promise((resolve) => setTimeout(resolve, 10))
      expect((await reader.read()).done).toBe(false)
      const next = reader.read()
      await reader.cancel()
      expect((await next).done).toBe(true)
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(escaped).toEqual([])
      expect(source.destroyed).toBe(true)
    } finally {
      process.off('uncaughtExceptionMonitor', note)
    }
  })
})
