import cluster from 'node:cluster'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  /** A logger whose every line carries these fields too, e.g. `log.child({ requestId })`. */
  child(bindings: LogFields): Logger
}

const rank: Record<LogLevel | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 }

export interface LoggerOptions {
  level?: LogLevel | 'silent'
  /** `json`: one JSON object a line (production); `pretty`: readable lines (dev). */
  format?: 'json' | 'pretty'
  write?: (line: string) => void
}

/**
 * A small structured logger: JSON lines for machines in production, readable lines in dev. Kept
 * instead of pino, which costs ~2.5 µs more a line (decision 015); `child()` gives what pino's
 * child loggers give the app: fields (a request id) on every line a request causes.
 * @example createLogger({ level: 'info', format: 'json' }).info('listening', { port: 3000 })
 */
export function createLogger({ level = 'info', format = 'json', write = bufferedStdout }: LoggerOptions = {}): Logger {
  return new LineLogger(rank[level], format, write, '', {})
}

/**
 * Methods on the prototype, the bound fields as JSON made once and spliced into each line: a
 * child costs one object, its line no copy of any (bench/logger.ts, decision 015).
 */
class LineLogger implements Logger {
  constructor(
    private readonly threshold: number,
    private readonly format: 'json' | 'pretty',
    private readonly write: (line: string) => void,
    /** The bound fields as JSON without braces (`"requestId":"…"`), for json lines. */
    private readonly bound: string,
    /** The same as an object, for pretty lines. */
    private readonly bindings: LogFields,
  ) {}

  debug(msg: string, fields?: LogFields): void {
    if (this.threshold <= rank.debug) this.line('debug', msg, fields)
  }
  info(msg: string, fields?: LogFields): void {
    if (this.threshold <= rank.info) this.line('info', msg, fields)
  }
  warn(msg: string, fields?: LogFields): void {
    if (this.threshold <= rank.warn) this.line('warn', msg, fields)
  }
  error(msg: string, fields?: LogFields): void {
    if (this.threshold <= rank.error) this.line('error', msg, fields)
  }

  child(more: LogFields): Logger {
    if (this.format === 'pretty') return new LineLogger(this.threshold, this.format, this.write, '', { ...this.bindings, ...more })
    const added = JSON.stringify(serializeErrors(more)).slice(1, -1)
    return new LineLogger(this.threshold, this.format, this.write, this.bound && added ? `${this.bound},${added}` : this.bound || added, {})
  }

  private line(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    this.write(
      this.format === 'json' ? jsonLine(level, msg, this.bound, fields) : prettyLine(level, msg, fields ? { ...this.bindings, ...fields } : this.bindings),
    )
  }
}

/** `{"time":…,"level":…,"msg":…, bound fields, this line's fields}` and a newline. */
function jsonLine(level: LogLevel, msg: string, bound: string, fields: LogFields | undefined): string {
  const own = fields ? JSON.stringify(serializeErrors(fields)).slice(1, -1) : ''
  return `{"time":"${isoNow()}","level":"${level}","msg":${JSON.stringify(msg)}${bound && `,${bound}`}${own && `,${own}`}}\n`
}

let lastMs = 0
let lastIso = ''
/** The time in ISO form, made once per millisecond: under load, many lines share one. */
function isoNow(): string {
  const ms = Date.now()
  if (ms !== lastMs) {
    lastMs = ms
    lastIso = new Date(ms).toISOString()
  }
  return lastIso
}

/**
 * A value shown as it is: no space, quote, control or format character. Any other is quoted and
 * escaped, so a request's path (`%0a`, `%1b[…`, `%e2%80%ae`) cannot write a line of its own,
 * colour the terminal or turn the line's text round.
 */
const BARE = /^[^\p{Cc}\p{Cf}\s"]*$/u
/** JSON, with the controls and format characters JSON leaves as they are (C1, bidi marks) escaped too. */
const quoted = (value: unknown) =>
  JSON.stringify(value).replace(/[\u0080-\u009f\p{Cf}]/gu, (char) =>
    // Each UTF-16 unit, as JSON writes a character beyond the BMP (a tag character: two).
    Array.from({ length: char.length }, (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''),
  )

function prettyLine(level: LogLevel, msg: string, fields: LogFields): string {
  const { err, ...rest } = fields
  const extras = Object.entries(rest).map(([key, value]) => `${key}=${typeof value === 'string' && BARE.test(value) ? value : quoted(value)}`)
  const stack = err instanceof Error ? `\n${err.stack}` : ''
  return `${new Date().toISOString().slice(11, 23)} ${level.toUpperCase().padEnd(5)} ${msg} ${extras.join(' ')}${stack}\n`
}

function serializeErrors(fields: LogFields): LogFields {
  const err = fields.err
  if (!(err instanceof Error)) return fields
  return { ...fields, err: { name: err.name, message: err.message, stack: err.stack } }
}

let pending: string[] = []
let pendingLength = 0
let flushTimer: ReturnType<typeof setTimeout> | undefined
let exiting = false
const FLUSH_AFTER_MS = 20
const FLUSH_AT_LENGTH = 64 * 1024

/**
 * Lines go out together, at most 20 ms late or once 64 KiB are waiting: under load one system
 * call carries hundreds of requests' lines, off the path of each. Flushed on exit (a crash by an
 * uncaught error included); a process exiting on purpose does so by `exitAfterLogs`.
 */
function bufferedStdout(line: string): void {
  pending.push(line)
  pendingLength += line.length
  if (pendingLength >= FLUSH_AT_LENGTH || exiting) flush()
  else flushTimer ??= setTimeout(flush, FLUSH_AFTER_MS).unref()
}

/** Sends the buffered lines on; `written` is called once they, and every batch before them, are out. */
function flush(written?: () => void): void {
  clearTimeout(flushTimer)
  flushTimer = undefined
  const lines = pending.join('')
  pending = []
  pendingLength = 0
  if (lines || written) send(lines, written)
}

/**
 * A batch goes to stdout, or from a cluster's worker to the primary, which writes its workers'
 * batches one after another (relayWorkerLogs). Workers writing to one pipe themselves broke lines:
 * a write bigger than the pipe's atomic 4 KiB, into a pipe its reader empties slower than it
 * fills, goes in pieces between another worker's. Once exiting (no time for a message) or
 * orphaned, a worker writes its last lines itself.
 */
function send(lines: string, written?: () => void): void {
  if (cluster.isWorker && process.connected && !exiting) process.send!({ [LOG_BATCH]: lines }, undefined, undefined, () => written?.())
  else writeOut(lines, written)
}

/**
 * Writes to stdout, if it still takes lines. A log reader gone (`| head`, a crashed collector: a
 * closed pipe) or a full disk fails its writes with an 'error' event, which unhandled would stop
 * the server: its lines are lost from then on, once said on stderr, and the store goes on serving.
 */
function writeOut(lines: string, written?: () => void): void {
  if (!stdoutGuarded) {
    stdoutGuarded = true
    process.stderr.on('error', () => {}) // the same closed pipe, often (2>&1): nothing more to say there
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (stdoutLost) return
      stdoutLost = true
      process.stderr.write(`log lines can no longer be written to stdout (${err.code ?? err.message}): they are dropped\n`, () => {})
    })
  }
  if (stdoutLost) return void written?.()
  process.stdout.write(lines, () => written?.())
}
let stdoutGuarded = false
let stdoutLost = false

const LOG_BATCH = 'tesseraLogBatch'

/** In a cluster's primary: writes the log lines its workers send. */
export function relayWorkerLogs(): void {
  cluster.on('message', (_worker, message: unknown) => {
    const lines = (message as Record<string, unknown> | null)?.[LOG_BATCH]
    if (typeof lines === 'string' && lines) writeOut(lines)
  })
}

/**
 * Exits with `code` once the lines logged so far are out: a pipe its reader is slow to empty
 * holds some still, and `process.exit` would drop them. A pipe that never drains holds the exit
 * at most `waitAtMostMs`.
 */
export function exitAfterLogs(code: number, waitAtMostMs = 2000): void {
  const exit = () => process.exit(code)
  setTimeout(exit, waitAtMostMs)
  flush(exit)
}

// One 'exit' listener per process, whatever number of copies of this module a dev server or a
// test runner loads: it flushes every copy's buffer, and lines logged after it go out at once.
const flushers: Set<() => void> = ((globalThis as Record<symbol, Set<() => void>>)[Symbol.for('tessera.log.flushers')] ??= new Set())
if (flushers.size === 0)
  process.on('exit', () => {
    for (const flush of flushers) flush()
  })
flushers.add(() => {
  exiting = true
  flush()
})
