/**
 * A shopper's words as an FTS5 query that can never be a syntax error or an injection: only
 * letters and digits survive, each word is quoted as a string and matched as a prefix (`"mug"*`),
 * and all must match. `"`, `*`, `NEAR(`, `OR`, `-` are just words or nothing.
 * @example toFtsQuery('blue mu') // '"blue"* "mu"*'
 */
export function toFtsQuery(input: string): string | null {
  const words = input.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []
  if (words.length === 0) return null
  return words
    .slice(0, 12)
    .map((word) => `"${word.replaceAll('"', '""')}"*`)
    .join(' ')
}
