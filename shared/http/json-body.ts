import type { Context } from 'hono'
import { HttpError } from './errors.ts'

const jsonMediaType = /^application\/([\w.-]+\+)?json$/i
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Checks an API request's JSON body before its schema does. Hono's validator reads any other
 * media type as `{}` (a form post would meet the schema as an empty object) and turns bytes that
 * are not UTF-8 into U+FFFD (stored so): a body sent as text, as a form or compressed is a 415,
 * one that is not UTF-8 or not JSON a 400 `invalid_input`. No body and no type: nothing to check.
 */
export async function checkJsonBody(c: Context): Promise<void> {
  const type = c.req.header('Content-Type')
  if (type === undefined && !hasBody(c)) return
  // JSON is UTF-8 whatever a charset parameter says (RFC 8259): the bytes are checked instead.
  const mediaType = (type ?? '').split(';', 1)[0]!.trim()
  const encoding = c.req.header('Content-Encoding')
  if (!jsonMediaType.test(mediaType)) throw new HttpError(415, 'unsupported_media_type', 'Send the body as JSON: Content-Type: application/json.')
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    throw new HttpError(415, 'unsupported_media_type', 'Send the body uncompressed: no Content-Encoding.')
  }
  let text: string
  try {
    text = strictUtf8.decode(await c.req.arrayBuffer())
  } catch {
    throw new HttpError(400, 'invalid_input', 'The body is not UTF-8 text.')
  }
  try {
    JSON.parse(text)
  } catch {
    throw new HttpError(400, 'invalid_input', 'The body is not valid JSON.')
  }
  // The validator's c.req.json() decodes and parses it again, from the bytes Hono keeps: twice a
  // body of at most BODY_LIMIT_BYTES, against answering a client's mistake with its own code.
}

const hasBody = (c: Context) => c.req.header('Transfer-Encoding') !== undefined || Number(c.req.header('Content-Length') ?? 0) > 0
