'use client'
// Tessera's components use context and effects (its Link, Form and useRouter), so in the App
// Router they are client components: rendered on the server, their props sent along for
// hydration, as in Tessera. No provider is needed: outside Tessera's App, RouterContext and
// PageViewContext default to null, as on Tessera's server (links and forms stay plain HTML).
import '../../slots.js'

export { Layout } from '../../../../shared/ui/layout.tsx'
export { default as ProductsPage } from '../../../../domains/products/pages/products.page.tsx'
export { default as ProductPage } from '../../../../domains/products/pages/product.page.tsx'
