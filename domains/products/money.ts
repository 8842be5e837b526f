import { groupDigits } from './digits.ts'

const formats = new Map<string, Intl.NumberFormat>()

/** Integer cents for display: `formatPrice(1250, 'USD')` → `"$12.50"`. */
export function formatPrice(cents: number, currency = 'USD'): string {
  if (currency === 'USD' && Number.isSafeInteger(cents) && cents > 0) return dollars(cents)
  let format = formats.get(currency)
  if (!format) formats.set(currency, (format = new Intl.NumberFormat('en-US', { style: 'currency', currency })))
  return format.format(cents / 100)
}

/**
 * What Intl's en-US USD format gives for a positive whole number of cents (`$1,234.50`), without
 * Intl: its format() was ~2 µs a call in the server, 48 a listing page (CPU profile). money.test.ts
 * compares the two; zero, negatives and other currencies go through Intl.
 */
function dollars(cents: number): string {
  const rest = cents % 100
  return `$${groupDigits(Math.floor(cents / 100))}.${rest < 10 ? '0' : ''}${rest}`
}
