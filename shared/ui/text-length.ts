import type { z } from 'zod'

/*
 * A text limit counts characters as a reader counts them: grapheme clusters (Intl.Segmenter), so
 * "👍🏽", "🇫🇷" or "é" written as e and an accent are one each, as "a" is. Not UTF-16 code units,
 * which JavaScript's `length` and the browser's `maxlength` count (an emoji is two, a flag four), nor
 * bytes (UTF-8: an "é" two, Devanagari three a letter): the refusal says "at most 100 characters",
 * and a name of 100 emoji has 100. One cluster can hold any number of combining marks ("Zalgo"
 * text), so a field also has a ceiling in code units, several times its limit; the form's
 * `maxlength` is that ceiling, so the browser never cuts short a text the server would take.
 * docs/decisions/021-text-limits-count-characters.md
 */

/** Code units a field may hold per character of its limit: a family emoji with skin tones is 19. */
const UNITS_PER_CHARACTER = 10

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' })

/** The characters a reader sees in `text` (grapheme clusters). */
export function characterCount(text: string): number {
  let count = 0
  for (const _ of graphemes.segment(text)) count++
  return count
}

/** A text field's `maxlength` for a limit of `characters`: the ceiling in code units the server also keeps. */
export function fieldMaxLength(characters: number): number {
  return characters * UNITS_PER_CHARACTER
}

interface CharacterLimits {
  min?: number
  max: number
  /** Said when the text is shorter than `min`. */
  tooShort?: string
}

/**
 * `schema` (a string schema, e.g. plainText()) limited in characters as a reader counts them, and
 * in code units to `fieldMaxLength(max)`; one message per refusal, naming the limit.
 * @example characters(plainText(), { min: 2, max: 120, tooShort: 'Use at least 2 characters' })
 */
export function characters<Schema extends z.ZodString>(schema: Schema, { min = 0, max, tooShort = `Use at least ${min} characters` }: CharacterLimits) {
  const tooLong = `Use at most ${max.toLocaleString('en')} characters`
  return schema
    .superRefine((text, ctx) => {
      // The ceiling first: a megabyte of marks is refused before it is segmented.
      if (text.length > fieldMaxLength(max)) {
        ctx.addIssue({ code: 'custom', message: `${tooLong}: this one holds too many accents or symbols to keep` })
        return
      }
      const count = characterCount(text)
      if (count > max) ctx.addIssue({ code: 'custom', message: tooLong })
      else if (count < min) ctx.addIssue({ code: 'custom', message: tooShort })
    })
    .meta({
      description: `At most ${max} characters as a reader counts them (grapheme clusters: "👍🏽" is one), and at most ${fieldMaxLength(max)} UTF-16 code units.`,
    })
}
