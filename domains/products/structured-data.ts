import type { Category, Product } from './schemas.ts'

/**
 * schema.org data for a product's page: the Product with its offer (price, currency, stock, so a
 * cached page's availability changes when its stock does: its tag is dropped) and the way to it.
 * Its addresses are paths: the platform makes them absolute (Head.jsonLd).
 */
export function productJsonLd(product: Product, category: Category): Record<string, unknown>[] {
  return [
    {
      '@context': 'https://schema.org',
      '@type': 'Product',
      name: product.name,
      description: product.description,
      sku: String(product.id),
      category: category.name,
      url: `/products/${product.slug}`,
      ...(product.imageUrl ? { image: product.imageUrl } : {}),
      offers: {
        '@type': 'Offer',
        url: `/products/${product.slug}`,
        price: (product.priceCents / 100).toFixed(2),
        priceCurrency: product.currency,
        availability: product.stock > 0 ? 'https://schema.org/InStock' : 'https://schema.org/OutOfStock',
      },
    },
    {
      '@context': 'https://schema.org',
      '@type': 'BreadcrumbList',
      itemListElement: [
        { '@type': 'ListItem', position: 1, name: 'Products', item: '/products' },
        { '@type': 'ListItem', position: 2, name: category.name, item: `/products?category=${encodeURIComponent(category.slug)}` },
        { '@type': 'ListItem', position: 3, name: product.name },
      ],
    },
  ]
}
