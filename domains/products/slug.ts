/** Latin letters with no decomposition, spelled as their languages write them without the letter. */
const SPELLED: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ħ: 'h', þ: 'th', ð: 'd', ı: 'i' }

/**
 * Lower-case words joined by hyphens, e.g. `"Café Mug (Blue)"` → `"cafe-mug-blue"`, `"Straße"` →
 * `"strasse"`. Digits alone would read as an id (`/api/products/1984` is product 1984), so
 * `"1984"` gives `"1984-item"`.
 */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[ßæœøłđħþðı]/g, (letter) => SPELLED[letter]!)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '')
  return ALL_DIGITS.test(slug) ? `${slug.slice(0, 75)}-item` : slug
}

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
/** A slug of digits only: refused, as an id would be read instead. */
export const ALL_DIGITS = /^\d+$/
/** Not digits only: as a pattern, so the API's published schema says so too (a refine would not). */
export const NOT_ALL_DIGITS = /^(?!\d+$)/
