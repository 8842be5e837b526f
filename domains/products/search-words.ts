/**
 * The words of what a shopper typed, as both dialects' searches take them: letters and digits
 * only (quotes, `*`, `-`, `:`, `&`, brackets, operators' punctuation are gone), at most 12.
 * @example shopperWords('NEAR("x" OR y*)') // ['NEAR', 'x', 'OR', 'y']
 */
export function shopperWords(input: string): string[] {
  return (input.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12)
}
