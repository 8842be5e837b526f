import { createHash } from 'node:crypto'

/**
 * A migration's checksum: SHA-256 of its file's text without comments, whitespace or trailing
 * commas, so a reworded comment or a reformat (Biome) is no edit, while any change to the code is.
 * The text is the file itself (`?raw`), the same in `npm run dev` and in the build, whose bundled
 * code (renamed, reordered by Rollup) is not.
 * @example migrationChecksum("export async function up(db) {} // one") === migrationChecksum('export async function up(db) {}')
 */
export function migrationChecksum(source: string): string {
  return createHash('sha256').update(codeOnly(source)).digest('hex')
}

/** The text's code: strings and template literals kept whole, comments and whitespace dropped. */
export function codeOnly(source: string): string {
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
      // A trailing comma before a closing bracket is formatting (Biome adds one when a call breaks lines).
      if ((char === ')' || char === ']' || char === '}') && out.endsWith(',')) out = out.slice(0, -1)
      out += char
      i++
    }
  }
  return out
}
