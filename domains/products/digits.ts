/**
 * A whole number with en-US digit grouping (`1234567` → `"1,234,567"`), as `toLocaleString('en')`
 * writes it, without Intl: a browser's first Intl call loads its locale data, 20 ms of the listing
 * page's hydration on a laptop and 80 on Lighthouse's phone (decision 019). Anything but a
 * safe integer from 0 up (-0 is not: Intl writes "-0") goes through Intl.
 */
export function groupDigits(whole: number): string {
  if (!Number.isSafeInteger(whole) || whole < 0 || Object.is(whole, -0)) return whole.toLocaleString('en')
  const digits = String(whole)
  let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1)
  for (let at = grouped.length; at < digits.length; at += 3) grouped += `,${digits.slice(at, at + 3)}`
  return grouped
}
