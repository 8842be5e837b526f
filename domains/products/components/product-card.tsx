import { Link } from '#shared/ui'
import type { Product } from '../schemas.ts'
import { StockBadge } from './stock-badge.tsx'

export function ProductCard({ product }: { product: Product }) {
  return (
    <li className="product-card">
      <Link href={`/products/${product.slug}`}>
        <div className={`product-image category-${product.category}`} aria-hidden="true">
          {product.name.charAt(0)}
        </div>
        <h3>{product.name}</h3>
      </Link>
      <p className="price">{product.price}</p>
      <StockBadge stock={product.stock} />
    </li>
  )
}

export function ProductGrid({ products }: { products: Product[] }) {
  return (
    <ul className="product-grid">
      {products.map((product) => (
        <ProductCard key={product.id} product={product} />
      ))}
    </ul>
  )
}
