// Types of catalogue.js for the bare ceiling (bench/bare/server.tsx), which is TypeScript.
import type { ProductsData } from '../../domains/products/pages/products.page.tsx'
import type { Category, Product } from '../../domains/products/schemas.ts'
import type { Head, NavItem } from '../../shared/ui/types.ts'

export const anonymousNav: NavItem[]
export function productsPageData(): ProductsData & { page: number }
export function productsHead(data: ProductsData): Head
export function productById(id: number): Product | undefined
export function productPageData(slug: string): { product: Product; category: Category } | undefined
