import type { PageProps } from '#shared/domain'
import { Link } from '#shared/ui'
import { StockBadge } from '../components/stock-badge.tsx'
import type { Product } from '../schemas.ts'

export default function ProductPage({ data }: PageProps<{ product: Product }>) {
  const { product } = data
  return (
    <article className="product-detail">
      <p>
        <Link href={`/products?category=${product.category}`}>← {product.category}</Link>
      </p>
      <div className={`product-image large category-${product.category}`} aria-hidden="true">
        {product.name.charAt(0)}
      </div>
      <h1>{product.name}</h1>
      <p className="price" data-testid="price">
        {product.price}
      </p>
      <StockBadge stock={product.stock} />
      <p>{product.description}</p>
      {/* The orders domain's cart action, reached by URL: no import of its code. */}
      <form method="post" action="/cart" className="add-to-cart">
        <input type="hidden" name="intent" value="add" />
        <input type="hidden" name="productId" value={product.id} />
        <label>
          Quantity <input name="quantity" type="number" min={1} max={Math.max(1, Math.min(99, product.stock))} defaultValue={1} disabled={product.stock <= 0} />
        </label>
        <button type="submit" disabled={product.stock <= 0}>
          {product.stock > 0 ? 'Add to cart' : 'Sold out'}
        </button>
      </form>
    </article>
  )
}

export function NotFound({ message }: { message: string }) {
  return (
    <section>
      <h1>Product not found</h1>
      <p>{message}</p>
      <Link href="/products">Browse all products</Link>
    </section>
  )
}
