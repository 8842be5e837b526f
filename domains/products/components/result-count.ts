import { groupDigits } from '../digits.ts'

/** How many products a listing found, as it says it: "1 product", "1,000+ products" (a bounded count). */
export const resultCount = (total: number, exact: boolean) => `${groupDigits(total)}${exact ? '' : '+'} ${total === 1 && exact ? 'product' : 'products'}`

/** Said under a bounded count: what the listing shows of the rest. */
export const BOUNDED_RESULTS_NOTE = 'More match than a search ranks: these are the newest of them, in this order. Add a word or a category to find others.'
