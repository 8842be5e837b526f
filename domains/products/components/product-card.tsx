import { Link } from '#shared/ui'
import type { ProductCard as Card } from '../schemas.ts'
import { ProductImage } from './product-image.tsx'
import { StockBadge } from './stock-badge.tsx'

export function ProductCard({ product }: { product: Card }) {
  return (
    <li className="product-card">
      <Link href={`/products/${product.slug}`}>
        <ProductImage name={product.name} category={product.category} />
        <h3>{product.name}</h3>
      </Link>
      <p className="price">{product.price}</p>
      <StockBadge stock={product.stock} />
    </li>
  )
}

export function ProductGrid({ products }: { products: Card[] }) {
  return (
    <ul className="product-grid">
      {products.map((product) => (
        <ProductCard key={product.id} product={product} />
      ))}
    </ul>
  )
}
