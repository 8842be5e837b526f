import { ACCENTED, PLAIN } from './migrations/007-search-words-as-sqlite-finds-them.server.ts'

/** At most this many words a search: each is one more list of matches to walk. */
const MAX_WORDS = 12

/**
 * The words of what a shopper typed, as both dialects' searches take them: letters and digits
 * only (quotes, `*`, `-`, `:`, `&`, brackets, operators' punctuation are gone), at most 12, none
 * that another already asks for. Every word is matched as a prefix but a one-letter one (see
 * isWholeWord), so a word another one starts with ("mug" beside "mugs", "t t t") would only add
 * its list of matches to walk: at a million products, twelve of "made" took 2 s, one 44 ms.
 * @example shopperWords('NEAR("x" OR y*)') // ['NEAR', 'x', 'OR', 'y']
 * @example shopperWords('Mug mugs MUG t T') // ['mugs', 't']
 */
export function shopperWords(input: string): string[] {
  const words = input.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []
  const keys = words.map(searchKey)
  const asked = (key: string, i: number) => keys.some((other, j) => (other === key ? j < i : !isWholeWord(key) && other.startsWith(key)))
  return words.filter((_, i) => !asked(keys[i]!, i)).slice(0, MAX_WORDS)
}

/**
 * A one-letter word is matched whole ("t" finds a "T-shirt", "5" a "5 mm" bowl), never as a
 * prefix: every product has a word starting with "a", and no index lists them by their first letter
 * (decision 014): finding them all took 0.13–0.36 s at a million products.
 */
export const isWholeWord = (word: string) => [...word].length === 1

/** Each letter as both searches fold it: "Crème" → "creme", "Việt" → "viet" (migration 007). */
export const foldAccents = (word: string) => Array.from(word, (letter) => plainOf.get(letter) ?? letter).join('')
const plainOf = new Map([...ACCENTED].map((letter, i) => [letter, PLAIN[i]!]))

/** A word (or a search made of words) as both searches compare it: case and accents folded. */
export const searchKey = (text: string) => foldAccents(text.toLowerCase())
