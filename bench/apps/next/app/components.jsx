'use client'
// Tessera's components use context and effects (its Link), so in the App Router they are client
// components: rendered on the server, their props sent along for hydration, as in Tessera.
export { ProductGrid } from '../../../../domains/products/components/product-card.tsx'
export { default as ProductPage } from '../../../../domains/products/pages/product.page.tsx'
