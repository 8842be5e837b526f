const formats = new Map<string, Intl.NumberFormat>()

/** Integer cents for display: `formatPrice(1250, 'USD')` → `"$12.50"`. */
export function formatPrice(cents: number, currency = 'USD'): string {
  let format = formats.get(currency)
  if (!format) formats.set(currency, (format = new Intl.NumberFormat('en-US', { style: 'currency', currency })))
  return format.format(cents / 100)
}
