/**
 * A product's picture: its photo when it has one (`imageUrl`, the same one link previews and
 * search engines are given), else its name's first character on its category's colours. The first
 * code point, not `charAt(0)`: half of an emoji is no character, and the server's page (which
 * sends it as U+FFFD) would differ from the browser's render, breaking hydration.
 */
export function ProductImage({ name, category, imageUrl, large = false }: { name: string; category: string; imageUrl?: string | null; large?: boolean }) {
  // The frame's size is the stylesheet's (aspect-ratio): nothing moves when the photo arrives.
  if (imageUrl) return <img className={`product-image photo${large ? ' large' : ''} category-${category}`} src={imageUrl} alt={name} />
  const initial = name.codePointAt(0)
  return (
    <div className={`product-image${large ? ' large' : ''} category-${category}`} aria-hidden="true">
      {initial === undefined ? '' : String.fromCodePoint(initial)}
    </div>
  )
}
