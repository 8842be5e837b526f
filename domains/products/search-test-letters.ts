/**
 * For the search tests: every letter of the scripts a catalogue is likely to use — Latin (with
 * Vietnamese), IPA, Greek, Cyrillic, and Latin Extended-C and -D. Both comparisons with FTS5
 * (search-parity: PostgreSQL's words; words-in-name: the JavaScript check) walk the same letters.
 */
const RANGES: [number, number][] = [
  [0xc0, 0x24f],
  [0x250, 0x2af],
  [0x370, 0x3ff],
  [0x400, 0x4ff],
  [0x1e00, 0x1eff],
  [0x2c60, 0x2c7f],
]

export const SEARCH_TEST_LETTERS = RANGES.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i))).filter(
  (char) => /\p{L}/u.test(char),
)
