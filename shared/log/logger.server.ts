export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
}

const rank: Record<LogLevel | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 }

export interface LoggerOptions {
  level?: LogLevel | 'silent'
  /** `json`: one JSON object a line (production); `pretty`: readable lines (dev). */
  format?: 'json' | 'pretty'
  write?: (line: string) => void
}

/**
 * A small structured logger: JSON lines for machines in production, readable lines in dev.
 * @example createLogger({ level: 'info', format: 'json' }).info('listening', { port: 3000 })
 */
export function createLogger({ level = 'info', format = 'json', write = bufferedStdout }: LoggerOptions = {}): Logger {
  const threshold = rank[level]
  const log = (lvl: LogLevel) => (msg: string, fields: LogFields = {}) => {
    if (rank[lvl] < threshold) return
    write(format === 'json' ? jsonLine(lvl, msg, fields) : prettyLine(lvl, msg, fields))
  }
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}

function jsonLine(level: LogLevel, msg: string, fields: LogFields): string {
  return JSON.stringify({ time: isoNow(), level, msg, ...serializeErrors(fields) }) + '\n'
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

function prettyLine(level: LogLevel, msg: string, fields: LogFields): string {
  const { err, ...rest } = fields
  const extras = Object.entries(rest).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
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
 * uncaught error included), and by the server before it exits on purpose.
 */
function bufferedStdout(line: string): void {
  pending.push(line)
  pendingLength += line.length
  if (pendingLength >= FLUSH_AT_LENGTH || exiting) flushLogs()
  else flushTimer ??= setTimeout(flushLogs, FLUSH_AFTER_MS).unref()
}

/** Writes what is buffered now. */
export function flushLogs(): void {
  clearTimeout(flushTimer)
  flushTimer = undefined
  if (pending.length === 0) return
  const lines = pending.join('')
  pending = []
  pendingLength = 0
  process.stdout.write(lines)
}

// One 'exit' listener per process, whatever number of copies of this module a dev server or a
// test runner loads: it flushes every copy's buffer, and lines logged after it go out at once.
const flushers: Set<() => void> = ((globalThis as Record<symbol, Set<() => void>>)[Symbol.for('tessera.log.flushers')] ??= new Set())
if (flushers.size === 0) process.on('exit', () => flushers.forEach((flush) => flush()))
flushers.add(() => {
  exiting = true
  flushLogs()
})
