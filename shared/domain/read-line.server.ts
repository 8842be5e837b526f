import { createInterface } from 'node:readline'
import { StringDecoder } from 'node:string_decoder'

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

/** A key's escape sequence: CSI (ESC [ … a final byte: arrows, Home, Delete), SS3 (ESC O x), or ESC and one character. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what it matches
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-9;?]*[ -/]*[@-~]|O.|.)?/gs

/**
 * Keys from a terminal in raw mode, up to Enter: nothing echoed; backspace takes one back; keys
 * that send an escape sequence (arrows, Home, function keys) are ignored rather than typed into
 * it; Ctrl-D on an empty line, or the input ending, is no line at all.
 */
function secretLine(input: NodeJS.ReadStream): Promise<string | undefined> {
  return new Promise((resolve) => {
    const decoder = new StringDecoder('utf8') // a character split between chunks stays whole
    let line = ''
    const finish = (value: string | undefined) => {
      input.off('data', onData).off('end', onEnd)
      resolve(value)
    }
    const onEnd = () => finish(line === '' ? undefined : line)
    const onData = (chunk: Buffer) => {
      for (const char of decoder.write(chunk).replace(ESCAPE_SEQUENCE, '')) {
        if (char === '\r' || char === '\n') return finish(line)
        if (char === '\u0004' && line === '') return finish(undefined)
        if (char === '\u0003') {
          input.setRawMode(false)
          process.stderr.write('\n')
          process.exit(130)
        }
        if (char === '\u007f' || char === '\b') line = Array.from(line).slice(0, -1).join('')
        else if (char >= ' ') line += char
      }
    }
    input.on('data', onData).on('end', onEnd)
  })
}
