import type { PageProps } from '#shared/domain'
import { Link, Slot } from '#shared/ui'
import { ProductImage } from '../components/product-image.tsx'
import { StockBadge } from '../components/stock-badge.tsx'
import type { Category, Product } from '../schemas.ts'

export default function ProductPage({ data }: PageProps<{ product: Product; category: Category }>) {
  const { product, category } = data
  return (
    <article className="product-detail">
      <p>
        <Link href={`/products?category=${category.slug}`}>← {category.name}</Link>
      </p>
      <ProductImage name={product.name} category={product.category} imageUrl={product.imageUrl} large />
      <h1>{product.name}</h1>
      <p className="price" data-testid="price">
        {product.price}
      </p>
      <StockBadge stock={product.stock} />
      <p className="product-description">{product.description}</p>
      <Slot name="product-actions" productId={product.id} stock={product.stock} />
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
