import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const logger = fileURLToPath(new URL('./logger.server.ts', import.meta.url))

/** Runs `code` in a fresh Node process with the logger imported as `createLogger`. */
function run(code: string): Promise<{ stdout: string; code: number | null }> {
  const script = `import { createLogger } from ${JSON.stringify(logger)}\nconst log = createLogger()\n${code}`
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], (_err, stdout) =>
      resolve({ stdout, code: child.exitCode }),
    )
  })
}

describe('buffered JSON logs', () => {
  it('writes lines logged together in one go, as JSON', async () => {
    const { stdout } = await run("log.info('one', { n: 1 }); log.warn('two')")
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines).toMatchObject([
      { level: 'info', msg: 'one', n: 1 },
      { level: 'warn', msg: 'two' },
    ])
    expect(lines[0].time).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it("writes a child logger's fields on each of its lines, its parent's lines unchanged", async () => {
    const { stdout } = await run(
      "const req = log.child({ requestId: 'r1' }); req.info('one', { n: 1 }); req.child({ user: 7 }).error('two'); log.info('three')",
    )
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines).toMatchObject([{ msg: 'one', requestId: 'r1', n: 1 }, { msg: 'two', requestId: 'r1', user: 7 }, { msg: 'three' }])
    expect(lines[2]).not.toHaveProperty('requestId')
  })

  it('does not lose the last lines when the process crashes on an uncaught error', async () => {
    const { stdout, code } = await run("log.error('about to fail'); setTimeout(() => { throw new Error('boom') }, 1)")
    expect(code).not.toBe(0)
    expect(stdout).toContain('"msg":"about to fail"')
  })

  it('writes a line logged while the process exits', async () => {
    const { stdout } = await run("process.on('exit', () => log.info('last words')); log.info('first')")
    expect(stdout).toContain('"msg":"first"')
    expect(stdout).toContain('"msg":"last words"')
  })
})

describe('pretty lines (dev)', () => {
  it('quotes and escapes a value with a newline or a terminal escape: a request cannot forge a line', async () => {
    const lines: string[] = []
    const { createLogger } = await import('./logger.server.ts')
    const log = createLogger({ format: 'pretty', write: (line) => lines.push(line) })
    log.info('request', { method: 'GET', path: '/x\u001b[2J\nINFO  request method=POST path=/admin status=200', status: 404 })
    expect(lines).toHaveLength(1)
    expect(lines[0]!.trimEnd().split('\n')).toHaveLength(1)
    expect(lines[0]).not.toContain('\u001b')
    expect(lines[0]).toContain('method=GET path="/x\\u001b[2J\\nINFO  request method=POST path=/admin status=200" status=404')
    log.info('request', { path: '/x\u202e\u009b31m' })
    expect(lines[1]).toContain('path="/x\\u202e\\u009b31m"')
  })
})
