import type { PageProps } from '#shared/domain'
import { Link } from '#shared/ui'
import { ProductGrid } from '../components/product-card.tsx'
import type { Category, ProductCard } from '../schemas.ts'

export default function HomePage({ data }: PageProps<{ featured: ProductCard[]; categories: Category[] }>) {
  return (
    <section className="home">
      <h1>Welcome to Tessera</h1>
      <p>Well-made things for every room, streamed to you in a blink.</p>
      <h2>Shop by category</h2>
      <ul className="category-list">
        {data.categories.map((category) => (
          <li key={category.slug}>
            <Link href={`/products?category=${category.slug}`}>{category.name}</Link>
          </li>
        ))}
      </ul>
      <h2>New arrivals</h2>
      <ProductGrid products={data.featured} />
      <p>
        <Link href="/products">Browse all products →</Link>
      </p>
    </section>
  )
}
