import { createHash } from 'node:crypto'

/**
 * The checksum migrationChecksum recorded until its lexer was fixed (2026-12): a scanner that read
 * a regular expression's quote as a string's start and a nested template literal's text as code.
 * A recorded checksum that is this one, of the file as it is, is no edit, only the old reading of
 * it (orders/004 nests templates): accepted and recorded anew. Remove once no database holds one.
 */
export function legacyMigrationChecksum(source: string): string {
  let out = ''
  let i = 0
  while (i < source.length) {
    const char = source[i]!
    const next = source[i + 1]
    if (char === '/' && next === '/') {
      i = source.indexOf('\n', i)
      if (i === -1) break
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2)
      i = end === -1 ? source.length : end + 2
    } else if (char === "'" || char === '"' || char === '`') {
      const start = i
      for (i++; i < source.length && source[i] !== char; i++) if (source[i] === '\\') i++
      out += source.slice(start, ++i)
    } else if (/\s/.test(char)) {
      i++
    } else {
      if ((char === ')' || char === ']' || char === '}') && out.endsWith(',')) out = out.slice(0, -1)
      out += char
      i++
    }
  }
  return createHash('sha256').update(out).digest('hex')
}
