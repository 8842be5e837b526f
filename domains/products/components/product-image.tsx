/**
 * A product's picture until products have photos: its name's first character on its category's
 * colours. The first code point, not `charAt(0)`: half of an emoji is no character, and the
 * server's page (which sends it as U+FFFD) would differ from the browser's render, breaking hydration.
 */
export function ProductImage({ name, category, large = false }: { name: string; category: string; large?: boolean }) {
  const initial = name.codePointAt(0)
  return (
    <div className={`product-image${large ? ' large' : ''} category-${category}`} aria-hidden="true">
      {initial === undefined ? '' : String.fromCodePoint(initial)}
    </div>
  )
}
