import { z } from 'zod'
import { HttpError } from './errors.ts'
import { isSameSitePath, notFound } from './signals.ts'
import { toIssues } from './validate.ts'

/*
 * The strict schemas every route reads its input through, so that no route guesses. A number in a
 * URL or a form is decimal digits (never `0x10`, `1e1`, ` 7` or `[7]`); a number in JSON is a JSON
 * integer (never a string); text has no control characters; money is whole cents, read exactly.
 */

export interface IntegerRange {
  min: number
  max: number
}

/** Decimal digits, a `-` first where the range allows it; 16 digits at most (the range does the rest). */
const UNSIGNED = /^\d{1,16}$/
const SIGNED = /^-?\d{1,16}$/

function checkRange({ min, max }: IntegerRange): void {
  // Beyond 2^53 two different texts read as one number: no id or amount may live there.
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) throw new RangeError(`Not a safe integer range: ${min} to ${max}`)
}

/** Each `integerText`'s range: the API document shows such a text as the integer it is (openapi-schemas.server.ts). */
export const integerTextRanges = z.registry<IntegerRange>()

/**
 * A whole number written in a URL (path or query) or a form field: decimal digits only.
 * @example z.object({ quantity: integerText({ min: 1, max: 99 }, 'Enter a quantity from 1 to 99') })
 */
export function integerText(range: IntegerRange, message = `Enter a whole number from ${range.min} to ${range.max}`) {
  checkRange(range)
  return z
    .string({ error: message })
    .regex(range.min < 0 ? SIGNED : UNSIGNED, message)
    .transform(Number)
    .pipe(z.number().min(range.min, message).max(range.max, message))
    .register(integerTextRanges, range)
}

/**
 * A whole number in a JSON body: a JSON number without a fraction, in range. A string (`"7"`), an
 * array (`[7]`) or `7.5` is refused, not coerced.
 * @example z.object({ quantity: integerJson({ min: 1, max: 99 }) })
 */
export function integerJson(range: IntegerRange, message = `Enter a whole number from ${range.min} to ${range.max}`) {
  checkRange(range)
  // abort: past 2^53 .int() already says too_big; .max() would say it again.
  return z.number({ error: message }).int({ error: message, abort: true }).min(range.min, message).max(range.max, message)
}

/** Ids are `integer` columns: PostgreSQL's refuses a larger value with an error, SQLite's finds nothing. */
const ID_RANGE = { min: 1, max: 2_147_483_647 }
/** A row's id in a URL or a form field (`/orders/12`, `productId=12`). */
export const idText = integerText(ID_RANGE, 'Not an id')
/** A row's id in a JSON body. */
export const idJson = integerJson(ID_RANGE, 'Not an id')

/** The highest page number a listing accepts: deeper pages are refused, not computed. */
export const MAX_PAGE = 10_000
/** `?page=` of a listing: 1 when absent; `0`, `-1`, `1e308`, `2.5` or `abc` is refused. */
export const pageNumber = integerText({ min: 1, max: MAX_PAGE }, `Not a page number (1 to ${MAX_PAGE})`).default(1)

interface CentsMessages {
  invalid?: string
  tooSmall?: string
  tooBig?: string
}

const AMOUNT = /^(\d{1,12})(?:\.(\d{1,2}))?$/
const TOO_PRECISE = /^\d{1,12}\.\d{3,}$/
const dollars = (cents: number) => (cents / 100).toFixed(2)

/**
 * An amount of money as a person types it (`12`, `12.5`, `12.50`), read exactly as whole cents
 * (no floating-point rounding). More than two decimals (`0.004`) is refused, never rounded: it
 * would silently change the amount, or round to nothing. `min` defaults to one cent.
 * @example z.object({ price: centsText({ max: 100_000_000 }, { tooSmall: 'The price must be above zero' }) })
 */
export function centsText({ min = 1, max }: { min?: number; max: number }, messages: CentsMessages = {}) {
  checkRange({ min, max })
  const invalid = messages.invalid ?? 'Enter an amount, e.g. 12.50'
  // Trimmed: an amount pasted with the spaces around it is still that amount.
  return z.string({ error: invalid }).transform((typed, ctx) => {
    const text = typed.trim()
    const match = AMOUNT.exec(text)
    if (!match) {
      ctx.addIssue({ code: 'custom', message: TOO_PRECISE.test(text) ? 'Use whole cents: at most two decimals' : invalid })
      return z.NEVER
    }
    const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
    if (cents < min) ctx.addIssue({ code: 'custom', message: messages.tooSmall ?? `At least ${dollars(min)}` })
    else if (cents > max) ctx.addIssue({ code: 'custom', message: messages.tooBig ?? `At most ${dollars(max)}` })
    return cents
  })
}

/*
 * Control characters (Unicode Cc: C0, DEL, C1; NUL among them) and lone surrogates are never text
 * a person meant; stored, they break displays, logs, exports and other programs' parsers. Nor are
 * the bidirectional embeddings and overrides (U+202A-202E, superseded by isolates, which editors
 * of right-to-left text do write and which stay, as do the marks U+200E, U+200F): an override
 * reverses the text shown after it (pages also isolate a shopper's name with <bdi>). Single-line
 * fields refuse line and paragraph separators too; multi-line ones keep \t, \n, \r.
 */
const ONE_LINE = /^[^\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u202a-\u202e]*$/u
const MULTI_LINE = /^(?:[^\p{Cc}\p{Cs}\u202a-\u202e]|[\t\n\r])*$/u

/**
 * Text a person writes: trimmed, in Unicode's composed form (NFC), without control characters
 * (multi-line: tab and line breaks allowed), and something visible in it unless empty. Chain the length rules as on any string. Composed:
 * text pasted from macOS writes "é" as e and a combining accent, which neither a search (on
 * PostgreSQL, migration 005 folds composed letters) nor an exact comparison would match with the
 * "é" a keyboard types.
 * @example z.object({ name: plainText().min(1, 'Enter a name').max(100), notes: plainText({ multiline: true }).max(5000) })
 */
export function plainText({ multiline = false }: { multiline?: boolean } = {}) {
  const text = z.string().trim().normalize('NFC')
  const plain = multiline
    ? text.regex(MULTI_LINE, 'Use plain text (no control characters)')
    : text.regex(ONE_LINE, 'Use one line of plain text (no control characters or line breaks)')
  // trim() keeps zero-width characters (U+200B, U+2060…): a name of those alone shows as nothing.
  return plain.refine((value) => value === '' || VISIBLE.test(value), 'Use letters, digits or signs: not only spaces or invisible characters')
}

/** A character that shows: not a format character (zero-width and the like) or a separator. */
const VISIBLE = /[^\p{Cf}\p{Z}\s]/u

/**
 * An address the app may put in a `src` or `href`: an `https:` URL (`http:` too in development),
 * or a path on this site (`/images/a.png`, not `//host/…`). `javascript:`, `data:`, `file:` and
 * the like are refused, as are spaces and control characters anywhere in it.
 * @example z.object({ imageUrl: linkUrl().max(500).nullable() })
 */
export function linkUrl({ allowHttp = import.meta.env?.DEV === true }: { allowHttp?: boolean } = {}) {
  const schemes = allowHttp ? ['https:', 'http:'] : ['https:']
  const message = `Use an ${allowHttp ? 'https: or http:' : 'https:'} address or a path on this site (/…)`
  return z
    .string()
    .refine((value) => isLink(value, schemes), message)
    .meta({
      description: `An ${allowHttp ? 'https: or http:' : 'https:'} URL without a user name or password in it, or a path on this site (\`/images/a.png\`).`,
    })
}

function isLink(value: string, schemes: string[]): boolean {
  if (!/^[^\s\p{Cc}]+$/u.test(value)) return false
  if (value.startsWith('/')) return isSameSitePath(value)
  if (!URL.canParse(value)) return false
  const url = new URL(value)
  // The scheme as written, not only as parsed: the parser forgives what other readers may not.
  // Credentials in it (`https://user:pw@host/`) would be shown to every visitor; browsers refuse such an image anyway.
  return schemes.includes(url.protocol) && value.toLowerCase().startsWith(`${url.protocol}//`) && url.hostname !== '' && !url.username && !url.password
}

/**
 * A page's query field that a GET form without JavaScript may send blank (a select's default
 * option: `?q=lamp&sort=`): blank reads as not given, anything else through `schema`.
 * @example z.object({ sort: blankAsAbsent(z.enum(['name', 'price'])) })
 */
export function blankAsAbsent<Schema extends z.ZodType>(schema: Schema) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional())
}

/**
 * A page's query parameters read through a schema: a bad value is a 400 error page
 * (`invalid_query`, with zod's issues), never a 500, a database error or a guess. A bare flag
 * (`?fail`) reads as `''`; a field a GET form may send blank is read with `blankAsAbsent`.
 * @example const { page } = readQuery(z.object({ page: pageNumber }), query)
 */
export function readQuery<Schema extends z.ZodType>(schema: Schema, query: URLSearchParams): z.output<Schema> {
  // A repeated name is an array, as in a form (see run-action): `page=1&page=2` is refused, not half read.
  const fields: Record<string, string | string[]> = {}
  for (const [name, value] of query) {
    const known = fields[name]
    fields[name] = known === undefined ? value : [...(Array.isArray(known) ? known : [known]), value]
  }
  const parsed = schema.safeParse(fields)
  if (!parsed.success) throw new HttpError(400, 'invalid_query', 'That is not a valid address.', toIssues(parsed.error.issues))
  return parsed.data
}

/**
 * The id in a page's path (`/orders/:id`): its number, or a 404, since `/orders/abc` names nothing.
 * @example const id = readId(params.id, 'No such order.')
 */
export function readId(text: string | undefined, message?: string): number {
  const parsed = idText.safeParse(text)
  return parsed.success ? parsed.data : notFound(message)
}
