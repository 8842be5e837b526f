import { createInterface } from 'node:readline'

/**
 * The first line of `input` (undefined when it ends before one). From a terminal, `prompt` is
 * shown on stderr and, with `secret`, what is typed is not echoed: a password never lands on the
 * screen or in the scrollback. Ctrl-C there ends the command (exit 130). Piped input is read as it is.
 * @example const password = await readLine(process.stdin, { prompt: 'Password: ', secret: true })
 */
export async function readLine(input: NodeJS.ReadableStream & { isTTY?: boolean }, { prompt = '', secret = false } = {}): Promise<string | undefined> {
  const terminal = input.isTTY === true
  if (terminal) process.stderr.write(prompt)
  const lines = createInterface({ input, terminal: terminal && secret ? false : undefined })
  const raw = terminal && secret && 'setRawMode' in input ? (input as NodeJS.ReadStream) : undefined
  raw?.setRawMode(true)
  try {
    if (raw) return await secretLine(raw)
    const { value } = await lines[Symbol.asyncIterator]().next()
    return value as string | undefined
  } finally {
    raw?.setRawMode(false)
    lines.close()
    if (terminal && secret) process.stderr.write('\n')
  }
}

/** Keys from a terminal in raw mode, up to Enter: nothing echoed; backspace takes one back. */
function secretLine(input: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve) => {
    let line = ''
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          input.off('data', onData)
          return resolve(line)
        }
        if (char === '\u0003') {
          input.setRawMode(false)
          process.stderr.write('\n')
          process.exit(130)
        }
        line = char === '\u007f' || char === '\b' ? Array.from(line).slice(0, -1).join('') : line + char
      }
    }
    input.on('data', onData)
  })
}
