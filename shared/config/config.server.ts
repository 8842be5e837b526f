import { availableParallelism } from 'node:os'
import { z } from 'zod'
import { fallbackRequestHeaders } from './fallback-headers.ts'

const MiB = 1024 * 1024
/** The longest delay Node's timers keep (about 24.8 days): past it, a timer fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * A whole number in decimal digits, within [min, max]: never `z.coerce`, which reads `0x1F4A`,
 * `1e3` and ` 4200 ` as numbers (decision 010): a setting is what it says, or refused.
 */
const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d{1,16}$/, 'must be a whole number in digits, e.g. 3000')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))

/**
 * One policy of `name value…` directives separated by `;`, in visible ASCII: no `,` (which would
 * make it two policies) and nothing a header could not carry.
 */
function isContentSecurityPolicy(policy: string): boolean {
  const directives = policy
    .split(';')
    .map((directive) => directive.trim())
    .filter(Boolean)
  return directives.length > 0 && directives.every((directive) => /^[a-z][a-z0-9-]*(?: +[\x21-\x2b\x2d-\x3a\x3c-\x7e]+)*$/i.test(directive))
}

/**
 * The key development and tests sign with when SESSION_SECRET is unset: public (it is in the
 * source), so production refuses it and never falls back to it.
 */
export const DEVELOPMENT_SESSION_SECRET = 'development-only-session-secret-not-for-production'

/** Every setting Tessera reads, with its default. The only place that reads `process.env`. */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production').describe('development under `npm run dev`, production when built'),
    PORT: wholeNumber(0, 65535).default(3000).describe('TCP port to listen on (0: any free port)'),
    HOST: z.string().min(1).default('0.0.0.0').describe('Interface to listen on'),
    DATABASE_PATH: z.string().min(1).default('data/tessera.db').describe('SQLite database file, created if missing (unless DATABASE_URL is set)'),
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: 'must be a PostgreSQL URL, e.g. postgres://user:password@host:5432/tessera' })
      .optional()
      .describe('PostgreSQL instead of SQLite, shared by several hosts (docs/scaling.md); never logged'),
    DATABASE_POOL_MAX: wholeNumber(1, 1000)
      .default(10)
      .describe('Connections to PostgreSQL per process, plus one for LISTEN (workers × hosts × (this + 1) must stay under its max_connections)'),
    DATABASE_POOL_IDLE_TIMEOUT_MS: wholeNumber(0, MAX_TIMER_MS)
      .default(300_000)
      .describe(
        "PostgreSQL: how long an unused pooled connection stays open (a new one's first queries are slow: it maps the server's shared memory page by page); 0 = never closed for being idle",
      ),
    DATABASE_QUERY_TIMEOUT_MS: wholeNumber(0, 3_600_000)
      .default(30_000)
      .describe(
        "PostgreSQL: each connection's statement_timeout (a statement running longer is ended by the server: 503); an answer that never comes is given up 5 s later and its connection closed; 0 = never",
      ),
    SEARCH_TIMEOUT_MS: wholeNumber(0, 3_600_000)
      .default(2000)
      .describe(
        'PostgreSQL: how long a catalogue search may take, all its queries together; past it the shopper is asked for fewer or rarer words (422 search_too_broad), and the connection is free again. Each query still ends at DATABASE_QUERY_TIMEOUT_MS if that comes first (503); 0 = only DATABASE_QUERY_TIMEOUT_MS',
      ),
    WORKERS: z
      .union([z.literal('auto'), wholeNumber(1, 256)], { error: 'must be auto, or a whole number from 1 to 256' })
      .default(1)
      .transform((value) => (value === 'auto' ? availableParallelism() : value))
      .describe('Processes serving the port (built server only): a number, or auto for one per core'),
    BACKGROUND_WORK: z
      .enum(['on', 'off'])
      .default('on')
      .transform((value) => value === 'on')
      .describe('Run start-up tasks and the job worker in this process (the cluster primary sets it per worker)'),
    SESSION_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .optional()
      .describe(
        'Key that signs device cookies (login limits; at least 32 characters); changing it voids them, nothing else. Unset: a fixed public key in development and test, no device cookies in production. Never logged',
      ),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info').describe('Least severe level that is logged'),
    LOG_FORMAT: z.enum(['json', 'pretty']).optional().describe('json (default in production) or pretty (default in development)'),
    BODY_LIMIT_BYTES: wholeNumber(1)
      .default(1 * MiB)
      .describe('Largest request body accepted; larger answers 413'),
    SHUTDOWN_TIMEOUT_MS: wholeNumber(1, MAX_TIMER_MS).default(10_000).describe('How long requests in flight may take to finish on SIGTERM'),
    RENDER_TIMEOUT_MS: wholeNumber(1, MAX_TIMER_MS)
      .default(10_000)
      .describe("Longest a streamed page may wait for its slow parts, and a page's loader for its data"),
    HEADERS_TIMEOUT_MS: wholeNumber(1000, MAX_TIMER_MS)
      .default(20_000)
      .describe("How long a client may take to send a request's headers (a slowloris-style client is cut off with 408)"),
    REQUEST_TIMEOUT_MS: wholeNumber(1000, MAX_TIMER_MS)
      .default(120_000)
      .describe('How long a client may take to send a whole request, body included (a 1 MiB upload then needs about 70 kbit/s); then 408'),
    WRITE_STALL_TIMEOUT_MS: wholeNumber(1000, MAX_TIMER_MS)
      .default(60_000)
      .describe(
        'How long an answer may wait for a client that stopped reading it (nothing sent while bytes wait): then its connection closes and its render stops',
      ),
    KEEP_ALIVE_TIMEOUT_MS: wholeNumber(1000, MAX_TIMER_MS)
      .default(5000)
      .describe("How long an idle kept-alive connection stays open; behind a load balancer, above its idle timeout (AWS ALB's 60 s: 65000)"),
    PAGE_CACHE_MAX_BYTES: wholeNumber(0)
      .default(64 * MiB)
      .describe('Memory the page cache may use; least recently used pages go first (0: no page cache)'),
    PUBLIC_URL: z
      // http(s) only: another scheme's origin is "null" (file:///, javascript://), which the
      // cross-site guard would then take a sandboxed frame's `Origin: null` for.
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://shop.example' })
      // The store answers at the root of its host: a path here would be dropped without a word.
      // (Run even when .url() failed: a text no URL can parse, "shop.example", is left to its message.)
      .refine(
        (url) => !URL.canParse(url) || (['/', ''].includes(new URL(url).pathname) && !new URL(url).search && !new URL(url).hash && !new URL(url).username),
        'must be an origin without a path, query or credentials, e.g. https://shop.example (the store serves from /)',
      )
      .optional()
      .transform((url) => url && new URL(url).origin)
      .describe('The address browsers use, e.g. https://shop.example (behind a TLS proxy)'),
    FALLBACK_UPSTREAM: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://old-app:3000' })
      .optional()
      .describe('While moving off another app (docs/migrating-from-nextjs.md): every request no route, page or asset matches is proxied there'),
    FALLBACK_TIMEOUT_MS: wholeNumber(1, MAX_TIMER_MS).default(10_000).describe('How long the fallback app may take to start answering: then 504'),
    FALLBACK_REQUEST_HEADERS: fallbackRequestHeaders
      .optional()
      .describe('Request headers of your own the fallback app reads (a comma list: X-Tenant, X-Region), besides those it is always sent'),
    FALLBACK_CSP: z
      .string()
      .refine(
        isContentSecurityPolicy,
        `must be a Content-Security-Policy: directives separated by ";", e.g. "default-src 'self'; script-src 'self' 'unsafe-inline'"`,
      )
      .optional()
      .describe("The Content-Security-Policy of the fallback app's answers that send none (default: the store's, which blocks a Next.js app's inline scripts)"),
    CRAWLERS: z
      .enum(['allow', 'deny'])
      .default('allow')
      .describe('robots.txt: allow the catalogue (the domains name what to skip), or deny everything (a staging copy)'),
    TRUST_PROXY: z
      .string()
      .regex(/^(true|false|[1-9])$/, 'must be true, false, or how many proxies of yours stand in front (1 to 9)')
      .default('false')
      .transform((value) => (value === 'false' ? 0 : value === 'true' ? 1 : Number(value)))
      .describe(
        'How many proxies of yours stand in front (true: one): the client address is then the X-Forwarded-For entry they added, that many from its end (only behind your own proxies)',
      ),
    SECURE_COOKIES: z
      .enum(['true', 'false'])
      .optional()
      .transform((value) => (value === undefined ? undefined : value === 'true'))
      .describe('Mark cookies Secure (default: on in production)'),
    ADMIN_EMAIL: z.string().email().optional().describe('With ADMIN_PASSWORD: an admin account created or updated at start-up'),
    ADMIN_PASSWORD: z.string().min(8).max(256).optional().describe('Password of ADMIN_EMAIL (8 to 256 characters); never logged'),
    PAYMENT_GATEWAY: z
      .enum(['fake'])
      .default('fake')
      .describe('Who charges cards: only the built-in fake so far (4000 0000 0000 0002 is declined, any other valid number is charged for nothing)'),
    FULFILMENT_DELAY_MS: wholeNumber(0, MAX_TIMER_MS).default(60_000).describe('How long after payment an order is fulfilled (its job runs)'),
    MAIL_TRANSPORT: z
      .enum(['smtp', 'outbox', 'none'])
      .optional()
      .describe(
        'How mail (password resets) leaves: smtp (SMTP_URL, MAIL_FROM), outbox (written as JSON lines to MAIL_OUTBOX_PATH or the log, never sent: development, tests, staging) or none (password resets are not offered). Default: outbox, none in production',
      ),
    SMTP_URL: z
      .url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL, e.g. smtps://user:password@smtp.example.com:465' })
      .optional()
      .describe(
        'The SMTP server mail is sent through (MAIL_TRANSPORT=smtp): smtps:// for TLS from the start (465), smtp:// upgrades with STARTTLS when offered (587); never logged',
      ),
    MAIL_FROM: z
      .string()
      .trim()
      .regex(/^[^\r\n]+@[^\r\n]+$/, 'must be an address, or a name and one, e.g. Tessera <shop@example.com>')
      .optional()
      .describe("The mail's sender (MAIL_TRANSPORT=smtp), e.g. Tessera <shop@example.com>"),
    MAIL_OUTBOX_PATH: z.string().min(1).optional().describe('MAIL_TRANSPORT=outbox: the file each mail is appended to as one JSON line (unset: the log)'),
    JOBS_LEASE_MS: wholeNumber(500, MAX_TIMER_MS)
      .default(15_000)
      .describe('A claimed job is taken over this long after its process stopped renewing it (it renews every third)'),
    JOBS_POLL_MS: wholeNumber(1, MAX_TIMER_MS).default(250).describe('How often the background job worker looks for due jobs'),
    METRICS: z
      .enum(['on', 'off'])
      .default('on')
      .transform((value) => value === 'on')
      .describe('Prometheus metrics at /metrics: in production only with METRICS_TOKEN or METRICS_PORT'),
    // The characters of an RFC 6750 bearer token: what a client can send, and Hono's bearerAuth accepts.
    METRICS_TOKEN: z
      .string()
      .min(16, 'must be at least 16 characters')
      .regex(/^[A-Za-z0-9._~+/-]+=*$/, 'use letters, digits and -._~+/ only (e.g. openssl rand -hex 32)')
      .optional()
      .describe('Serve /metrics only to Authorization: Bearer <token> (at least 16 characters); never logged'),
    METRICS_PORT: wholeNumber(0, 65535).optional().describe('Serve /metrics on 127.0.0.1:<port> instead of the public port (0: any free port)'),
    PAGE_CACHE_SYNC_MS: wholeNumber(1, MAX_TIMER_MS).default(100).describe("How often to read other processes' cache invalidations from the database"),
    // Tracing (docs/observability.md): the standard OpenTelemetry variables, checked here like every other.
    OTEL_EXPORTER_OTLP_ENDPOINT: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://127.0.0.1:4318' })
      .optional()
      .describe('OTLP/HTTP collector: turns tracing on (spans sent to <url>/v1/traces); unset, no OpenTelemetry code is loaded'),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://127.0.0.1:4318/v1/traces' })
      .optional()
      .describe('The traces URL itself, taken as given (wins over OTEL_EXPORTER_OTLP_ENDPOINT); also turns tracing on'),
    OTEL_SERVICE_NAME: z.string().trim().min(1, 'must not be blank').default('tessera').describe('service.name of the spans'),
    OTEL_TRACES_SAMPLER: z
      .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
      .default('parentbased_always_on')
      .describe('Which traces are kept'),
    OTEL_TRACES_SAMPLER_ARG: z
      .string()
      .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, 'must be a ratio from 0 to 1, e.g. 0.1')
      .transform(Number)
      .optional()
      .describe('The ratio of traces kept by the traceidratio samplers, 0 to 1 (default 1)'),
    OTEL_TRUST_INCOMING: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true')
      .describe("Continue a caller's trace from its traceparent (only behind a proxy you trust)"),
  })
  .refine((config) => !config.METRICS_PORT || config.METRICS_PORT !== config.PORT, { path: ['METRICS_PORT'], message: 'must differ from PORT' })
  // Node refuses a headers timeout longer than the whole request's.
  .refine((config) => config.HEADERS_TIMEOUT_MS <= config.REQUEST_TIMEOUT_MS, {
    path: ['HEADERS_TIMEOUT_MS'],
    message: 'must be at most REQUEST_TIMEOUT_MS (the headers are part of the request)',
  })
  // Each process would have a database of its own, empty: the primary's migrations in none of them.
  .refine((config) => config.WORKERS === 1 || config.DATABASE_PATH !== ':memory:' || config.DATABASE_URL, {
    path: ['WORKERS'],
    message: 'must be 1 with DATABASE_PATH=:memory: (each process would have its own empty database)',
  })
  // One without the other made no admin and said nothing.
  .refine((config) => !config.FALLBACK_CSP || config.FALLBACK_UPSTREAM, {
    path: ['FALLBACK_CSP'],
    message: 'is for FALLBACK_UPSTREAM: set it too (or unset this)',
  })
  .refine((config) => !config.FALLBACK_REQUEST_HEADERS || config.FALLBACK_UPSTREAM, {
    path: ['FALLBACK_REQUEST_HEADERS'],
    message: 'is for FALLBACK_UPSTREAM: set it too (or unset this)',
  })
  .refine((config) => !config.ADMIN_EMAIL || config.ADMIN_PASSWORD, { path: ['ADMIN_PASSWORD'], message: 'is needed with ADMIN_EMAIL (or unset both)' })
  .refine((config) => !config.ADMIN_PASSWORD || config.ADMIN_EMAIL, { path: ['ADMIN_EMAIL'], message: 'is needed with ADMIN_PASSWORD (or unset both)' })
  .refine((config) => config.MAIL_TRANSPORT !== 'smtp' || config.SMTP_URL, { path: ['SMTP_URL'], message: 'is needed with MAIL_TRANSPORT=smtp' })
  .refine((config) => config.MAIL_TRANSPORT !== 'smtp' || config.MAIL_FROM, { path: ['MAIL_FROM'], message: 'is needed with MAIL_TRANSPORT=smtp' })
  // Set without the transport that reads it, it would be left unread without a word.
  .refine((config) => !config.SMTP_URL || config.MAIL_TRANSPORT === 'smtp', {
    path: ['SMTP_URL'],
    message: 'is for MAIL_TRANSPORT=smtp: set it too (or unset this)',
  })
  .refine((config) => !config.MAIL_OUTBOX_PATH || (config.MAIL_TRANSPORT ?? (config.NODE_ENV === 'production' ? 'none' : 'outbox')) === 'outbox', {
    path: ['MAIL_OUTBOX_PATH'],
    message: 'is for MAIL_TRANSPORT=outbox: set it too (or unset this)',
  })
  .refine((config) => config.NODE_ENV !== 'production' || config.SESSION_SECRET !== DEVELOPMENT_SESSION_SECRET, {
    path: ['SESSION_SECRET'],
    message: 'is the public development key: set a secret of your own (e.g. openssl rand -hex 32)',
  })

export type Config = z.infer<typeof configSchema>

/**
 * The key that signs device cookies: SESSION_SECRET, the public development key outside
 * production, or none in production (no device cookies are issued or honoured).
 * @example const key = sessionSecret(c.var.config)
 */
export function sessionSecret(config: Pick<Config, 'NODE_ENV' | 'SESSION_SECRET'>): string | undefined {
  return config.SESSION_SECRET ?? (config.NODE_ENV === 'production' ? undefined : DEVELOPMENT_SESSION_SECRET)
}

/** Thrown when the environment does not describe a valid configuration. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** An issue as the operator reads it: a setting of fixed choices lists them as they are typed. */
function inWords(issue: z.core.$ZodIssue): string {
  return issue.code === 'invalid_value' ? `must be one of ${issue.values.map(String).join(', ')}` : issue.message
}

/**
 * Validates the environment once, at boot. An invalid value stops start-up with a message that
 * names the variable (never its value: it may be a secret).
 * @example const config = loadConfig(process.env)
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''))
  const result = configSchema.safeParse(present)
  if (result.success) return result.data
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${inWords(issue)}`)
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
}

/**
 * Variables of the environment one or two typos from a setting (`DATABASE_PAHT`), each with the
 * setting it may mean: a setting misspelt is otherwise left unread without a word, and a
 * DATABASE_PATH's typo starts a new, empty store. Short names allow one typo (HOME is no HOST).
 * @example misspeltSettings({ DATABASE_PAHT: '/srv/db' }) // [['DATABASE_PAHT', 'DATABASE_PATH']]
 */
export function misspeltSettings(env: Record<string, string | undefined>): [name: string, meant: string][] {
  const settings = Object.keys(configSchema.shape)
  return Object.keys(env).flatMap((name) => {
    if (settings.includes(name)) return []
    const meant = settings.find((setting) => typos(name, setting) <= (setting.length >= 8 ? 2 : 1))
    return meant ? [[name, meant] as [string, string]] : []
  })
}

/**
 * Settings set to nothing (`DATABASE_PATH=`: a template's or compose file's variable left empty),
 * which loadConfig takes as unset: without a word, an empty DATABASE_PATH would open the default
 * file, a store of its own, empty.
 * @example emptySettings({ DATABASE_PATH: '', PORT: '80', HOME: '' }) // ['DATABASE_PATH']
 */
export function emptySettings(env: Record<string, string | undefined>): string[] {
  return Object.keys(configSchema.shape).filter((name) => env[name] === '')
}

/** Edits from one name to the other: a letter added, dropped, changed, or two swapped (Damerau-Levenshtein, restricted). */
function typos(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[a.length]![b.length]!
}

/** The `--help` text: every variable, its default and what it does, from the schema itself. */
export function configHelp(): string {
  const { properties = {} } = z.toJSONSchema(configSchema, { io: 'input' }) as {
    properties?: Record<string, { description?: string; default?: unknown; enum?: string[] }>
  }
  // A number's default is on the parsed side of its schema (digits in, a number out): read it there.
  const parsed: Record<string, unknown> = configSchema.safeParse({}).data ?? {}
  const rows = Object.entries(properties).map(([name, field]) => {
    const fallback = field.default !== undefined ? String(field.default) : typeof parsed[name] === 'number' ? String(parsed[name]) : '(unset)'
    const choices = field.enum ? ` [${field.enum.join('|')}]` : ''
    return `  ${name.padEnd(20)} ${fallback.padEnd(16)} ${field.description ?? ''}${choices}`
  })
  return `Tessera is configured by environment variables, or a .env file in the working directory\n(variables already set win).\n\n  ${'VARIABLE'.padEnd(20)} ${'DEFAULT'.padEnd(16)} MEANING\n${rows.join('\n')}\n`
}
