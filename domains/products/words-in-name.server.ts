import { foldAccents } from './search-words.server.ts'

/**
 * "Every word in the name", decided on the name's text as SQLite's FTS5 would decide it
 * (unicode61 remove_diacritics 2), without asking FTS5. Its column filter (`{name} : (…)`) skips
 * inside each word's list every product whose name lacks the word, past any LIMIT or rowid bound:
 * a word found in descriptions but in no name read its whole list (12 common words at a million
 * products: 0.1-0.5 s). A window's 1,000 names, read by id and checked here, cost the same
 * whatever the words (docs/decisions/014). words-in-name.test.ts checks they give the same answers as FTS5.
 */

/** A word of a search: its folded text, and whether it is matched whole (a one-letter word) or as a prefix. */
export type SearchWord = { key: string; whole: boolean }

/**
 * FTS5's word characters: letters, digits, private-use characters, and combining marks inside a
 * word (é typed as e + ◌́ is one word); every other character separates words.
 */
const WORD_CHARACTER = '[\\p{L}\\p{N}\\p{Co}\\p{Mn}]'
/** The combining diacritics remove_diacritics 2 drops ("e\u0301" → "e"). */
const DIACRITICS = /[\u0300-\u036f]/gu
const PAST_ASCII = /[\u0080-\u{10ffff}]/u

/** A text as FTS5 folds its words: lower case, accents off (migration 007's letters), µ as μ, diacritics dropped. */
export function foldWords(text: string): string {
  const lower = text.toLowerCase()
  return PAST_ASCII.test(lower) ? foldAccents(lower).replaceAll('µ', 'μ').replace(DIACRITICS, '') : lower
}

/**
 * A test of a name: true when every search word is a word of it (a one-letter word) or starts
 * one (the others). One regular expression per word, made once per search, each run on the name
 * folded once: a window's 1,000 names in about 1 ms.
 */
export function hasEveryWord(words: readonly SearchWord[]): (name: string) => boolean {
  const patterns = words.map(({ key, whole }) => new RegExp(`(?<!${WORD_CHARACTER})${escaped(key)}${whole ? `(?!${WORD_CHARACTER})` : ''}`, 'u'))
  return (name) => {
    const folded = foldWords(name)
    return patterns.every((pattern) => pattern.test(folded))
  }
}

/** A search word is letters and digits (shopperWords); escaped all the same, as any text in a pattern. */
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
